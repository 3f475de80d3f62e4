package io.farine.amqp;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What {@link ConfirmedPublishing} does with a connection that broke before the client noticed
 * (a node stopped): the channel still says it is open, but every write fails. Channels here are
 * stand-ins that record what is written; the broker's side is in ClusterFailoverIntegrationTests.
 */
class ConfirmedPublishingTests {

	@Test
	void aWriteThatFailsOnAnOpenLookingChannelFailsThatMessageOnlyAndTheNextGoesOnANewChannel() throws Exception {
		AtomicInteger opened = new AtomicInteger();
		AtomicInteger written = new AtomicInteger();
		AtomicInteger closed = new AtomicInteger();
		ConfirmedPublishing publishing = new ConfirmedPublishing(
				(retry) -> channel(opened.incrementAndGet() == 1, written, closed), Runnable::run, "test-broker",
				() -> false, 100);
		try {
			CompletableFuture<Void> first = publishing.publish("x", "k", false, new AMQP.BasicProperties(), new byte[0],
					false);
			assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
				.hasRootCauseMessage("Broken pipe");
			CompletableFuture<Void> second = publishing.publish("x", "k", false, new AMQP.BasicProperties(),
					new byte[0], false);
			// written on a second channel, where it waits for its confirm (none comes from a stand-in)
			await().atMost(Duration.ofSeconds(10)).until(() -> written.get() == 1);
			assertThat(opened).hasValue(2);
			assertThat(second).isNotDone();
			// the channel that failed is closed, not left open on the connection
			assertThat(closed).hasValue(1);
		}
		finally {
			publishing.close();
		}
	}

	/**
	 * A channel that says it is open; its writes fail with "Broken pipe" when it is broken. Closing
	 * it is counted.
	 */
	private static Channel channel(boolean broken, AtomicInteger written, AtomicInteger closed) {
		return (Channel) Proxy.newProxyInstance(Channel.class.getClassLoader(), new Class<?>[] { Channel.class },
				(proxy, method, arguments) -> switch (method.getName()) {
					case "isOpen" -> true;
					case "getNextPublishSeqNo" -> 1L;
					case "basicPublish" -> {
						if (broken) {
							throw new IOException("Broken pipe");
						}
						written.incrementAndGet();
						yield null;
					}
					case "confirmSelect" -> null;
					case "abort", "close" -> {
						closed.incrementAndGet();
						yield null;
					}
					case "hashCode" -> System.identityHashCode(proxy);
					case "equals" -> proxy == arguments[0];
					case "toString" -> "stand-in channel";
					default -> null;
				});
	}

}

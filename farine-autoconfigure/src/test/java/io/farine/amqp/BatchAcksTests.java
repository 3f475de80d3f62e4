package io.farine.amqp;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.farine.test.Rabbit;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How a committed batch is acknowledged, on a real RabbitMQ channel whose {@code basic.ack} calls
 * are recorded on their way to the broker: one multiple ack when the committed messages are all
 * the batch's unsettled ones up to the last, each on its own when a message the batch handles
 * again later lies among them (a multiple ack would settle it before its retries).
 */
class BatchAcksTests {

	@Test
	void contiguousCommittedMessagesAreAcknowledgedInOneFrame() throws Exception {
		try (Rabbit rabbit = new Rabbit()) {
			String queue = Rabbit.unique("acks");
			List<String> acks = new ArrayList<>();
			Taken taken = take(rabbit, queue, 5, acks);
			List<Delivery> batch = taken.batch();
			BatchAcks.ack(batch, batch);
			assertThat(acks).containsExactly(batch.get(4).deliveryTag() + " multiple");
			assertThat(taken.left(rabbit, queue)).isZero();
		}
	}

	@Test
	void aMessageLeftForLaterKeepsEachAcknowledgementSeparate() throws Exception {
		try (Rabbit rabbit = new Rabbit()) {
			String queue = Rabbit.unique("acks");
			List<String> acks = new ArrayList<>();
			Taken taken = take(rabbit, queue, 4, acks);
			List<Delivery> batch = taken.batch();
			List<Delivery> committed = List.of(batch.get(0), batch.get(2), batch.get(3));
			BatchAcks.ack(batch, committed);
			assertThat(acks).containsExactly(batch.get(0).deliveryTag() + " single",
					batch.get(2).deliveryTag() + " single", batch.get(3).deliveryTag() + " single");
			// the one left unsettled goes back to the queue with the channel
			assertThat(taken.left(rabbit, queue)).isEqualTo(1);
		}
	}

	/** Puts messages on a fresh queue and takes them unacknowledged on a channel of their own. */
	private static Taken take(Rabbit rabbit, String queue, int count, List<String> acks) throws Exception {
		rabbit.channel().queueDeclare(queue, false, true, false, null);
		for (int i = 0; i < count; i++) {
			rabbit.publish("", queue, null, ("m" + i).getBytes(StandardCharsets.UTF_8));
		}
		Channel real = rabbit.channel().getConnection().createChannel();
		Channel recorded = (Channel) Proxy.newProxyInstance(Channel.class.getClassLoader(),
				new Class<?>[] { Channel.class }, (proxy, method, args) -> {
					if (method.getName().equals("basicAck")) {
						acks.add(args[0] + (((Boolean) args[1]) ? " multiple" : " single"));
					}
					return method.invoke(real, args);
				});
		List<Delivery> batch = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			GetResponse[] response = new GetResponse[1];
			await().atMost(Duration.ofSeconds(10)).until(() -> (response[0] = real.basicGet(queue, false)) != null);
			MessageProperties properties = new MessageProperties();
			properties.setDeliveryTag(response[0].getEnvelope().getDeliveryTag());
			batch.add(new Delivery(new Message(response[0].getBody(), properties), recorded, null));
		}
		return new Taken(real, batch);
	}

	/** Messages taken unacknowledged, and the channel they came on. */
	private record Taken(Channel channel, List<Delivery> batch) {

		/** Closes the channel, which gives back what it did not acknowledge, and counts what is in the queue. */
		int left(Rabbit rabbit, String queue) throws Exception {
			// acks and the close travel in order on the channel: the broker took the acks first
			this.channel.close();
			return rabbit.channel().queueDeclarePassive(queue).getMessageCount();
		}

	}

}

package io.farine.actuate;

import java.time.Duration;
import java.util.Map;

import io.farine.actuate.DeadLetterEndpointIntegrationTests.Answer;
import io.farine.actuate.DeadLetterEndpointIntegrationTests.Refusing;
import io.farine.test.Rabbit;
import io.farine.test.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A replay whose broker connection is cut midway loses nothing: the replay answers 503 saying how
 * far it got, every message is either handled or still in the dead-letter queue, and replaying
 * again delivers the rest.
 */
class DeadLetterReplayFaultIntegrationTests {

	private static final int MESSAGES = 1000;

	private final Rabbit rabbit;

	private final TcpProxy proxy;

	private final String exchange = Rabbit.unique("dle-cut");

	private final String key = Rabbit.unique("dlk-cut");

	private final String dlq = this.key + ".dlq";

	private ConfigurableApplicationContext app;

	DeadLetterReplayFaultIntegrationTests() throws Exception {
		this.rabbit = new Rabbit();
		this.proxy = new TcpProxy(5672);
	}

	@AfterEach
	void stop() throws Exception {
		if (this.app != null) {
			this.app.close();
		}
		this.proxy.close();
		this.rabbit.deleteQuietly(this.key, this.dlq);
		this.rabbit.deleteExchangeQuietly(this.exchange);
		this.rabbit.close();
	}

	@Test
	void aReplayCutMidwayLosesNoMessageAndAReplayAgainDeliversTheRest() throws Exception {
		this.app = DeadLetterEndpointIntegrationTests.start(
				"amqp://guest:guest@127.0.0.1:" + this.proxy.port() + "/", this.exchange, this.key);
		Refusing refusing = this.app.getBean(Refusing.class);
		int port = Integer.parseInt(this.app.getEnvironment().getProperty("local.server.port"));
		for (int n = 0; n < MESSAGES; n++) {
			refusing.out.publish(Map.of("n", n));
		}
		await().atMost(Duration.ofSeconds(60)).until(() -> ready() == MESSAGES);
		// the 20th replayed message handled cuts every connection, the replay's among them
		refusing.onHandled = () -> {
			if (refusing.handled.size() == 20) {
				this.proxy.cutConnections();
			}
		};
		refusing.refuse = false;
		DeadLetterEndpointIntegrationTests client = new DeadLetterEndpointIntegrationTests();
		Answer cut = client.call(port, "POST", "/dead-letters/" + this.dlq + "/replay");
		assertThat(cut.status()).isEqualTo(503);
		assertThat(cut.error()).contains("Replay of dead-letter queue '" + this.dlq + "' stopped after ")
			.contains("the messages not replayed are still in the queue, in order");
		refusing.onHandled = () -> {
		};
		// nothing lost: each message is handled or still dead-lettered
		await().atMost(Duration.ofSeconds(30))
			.until(() -> refusing.handled.size() + ready() >= MESSAGES && ready() < MESSAGES);
		await().atMost(Duration.ofSeconds(60)).until(() -> {
			Answer again = client.call(port, "POST", "/dead-letters/" + this.dlq + "/replay");
			return again.status() == 200 && again.body().path("left").asLong() == 0;
		});
		await().atMost(Duration.ofSeconds(30)).until(() -> refusing.handled.size() == MESSAGES);
		assertThat(refusing.handled).containsExactlyInAnyOrderElementsOf(DeadLetterEndpointIntegrationTests.upTo(MESSAGES));
		assertThat(ready()).isZero();
	}

	private long ready() throws Exception {
		return this.rabbit.channel().queueDeclarePassive(this.dlq).getMessageCount();
	}

}

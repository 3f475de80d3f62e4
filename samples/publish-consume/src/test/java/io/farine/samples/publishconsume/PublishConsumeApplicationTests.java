package io.farine.samples.publishconsume;

import java.time.Duration;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Python README's example with its farine.ini (kombu's {@code //} URI), against the local
 * RabbitMQ: both sides exchange messages; with {@code --start=consume} the publish side sends
 * nothing, and with {@code --start=publish} nothing is consumed.
 */
@ExtendWith(OutputCaptureExtension.class)
class PublishConsumeApplicationTests {

	@Test
	void publishSendsAndConsumeReceives() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(PublishConsumeApplication.class)
			.run()) {
			await().atMost(Duration.ofSeconds(20)).until(() -> context.getBean(ConsumeService.class).received() >= 2);
		}
	}

	@Test
	void startConsumeRunsOnlyTheConsumer(CapturedOutput output) throws Exception {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost("127.0.0.1");
		try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
			channel.exchangeDeclare("consume", "direct", true);
			String probe = channel.queueDeclare().getQueue();
			channel.queueBind(probe, "consume", "routing_key");
			try (ConfigurableApplicationContext context = new SpringApplicationBuilder(PublishConsumeApplication.class)
				.run("--start=consume")) {
				channel.basicPublish("consume", "routing_key", null, "{\"dummy\": true}".getBytes());
				await().atMost(Duration.ofSeconds(20))
					.until(() -> context.getBean(ConsumeService.class).received() >= 1);
				// the publish side's @Execute method never ran: only the probe's own message reached the exchange
				assertThat(output).contains("Service 'publish' is not started");
				assertThat(channel.queueDeclarePassive(probe).getMessageCount()).isEqualTo(1);
			}
		}
	}

	@Test
	void startPublishRunsOnlyThePublisher(CapturedOutput output) throws Exception {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost("127.0.0.1");
		try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
			channel.exchangeDeclare("consume", "direct", true);
			String probe = channel.queueDeclare().getQueue();
			channel.queueBind(probe, "consume", "routing_key");
			try (ConfigurableApplicationContext context = new SpringApplicationBuilder(PublishConsumeApplication.class)
				.run("--start=publish")) {
				// the publish side sends: its message reaches the probe
				await().atMost(Duration.ofSeconds(20)).until(() -> channel.queueDeclarePassive(probe).getMessageCount() >= 1);
				// the consume side never consumed
				assertThat(output).contains("Service 'consume' is not started");
				assertThat(context.getBean(ConsumeService.class).received()).isZero();
			}
		}
	}

}

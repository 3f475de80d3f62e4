package io.farine.benchmarks.apps;

import java.util.Map;

import io.farine.amqp.Consume;
import io.farine.amqp.Publish;
import io.farine.amqp.Publisher;
import io.farine.service.FarineService;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

/**
 * The farine side of the start-up scenario: one service with one {@code @Consume} method,
 * started in its own JVM by the benchmark. Prints {@code BENCH-READY} when ready, then
 * {@code BENCH-FIRST-MESSAGE} once a message it publishes has come back to its consumer.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = "org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration")
public class FarineStartupApplication {

	public static void main(String[] args) {
		SpringApplication.run(FarineStartupApplication.class, args);
	}

	@Bean
	Orders orders() {
		return new Orders();
	}

	@EventListener(ApplicationReadyEvent.class)
	void ready(ApplicationReadyEvent event) throws InterruptedException {
		System.out.println("BENCH-READY");
		Orders orders = event.getApplicationContext().getBean(Orders.class);
		orders.out.publish(Map.of("id", 1));
		orders.first.await();
		System.out.println("BENCH-FIRST-MESSAGE");
	}

	@FarineService("bench-startup")
	static class Orders {

		final java.util.concurrent.CountDownLatch first = new java.util.concurrent.CountDownLatch(1);

		@Publish(exchange = "bench-startup", routingKey = "bench-startup-farine")
		Publisher out;

		@Consume(exchange = "bench-startup", routingKey = "bench-startup-farine")
		void on(Map<String, Object> order) {
			this.first.countDown();
		}

	}

}

package io.farine.benchmarks.apps;

import java.util.Map;

import io.farine.amqp.Consume;
import io.farine.service.FarineService;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

/**
 * The farine side of the start-up scenario: one service with one {@code @Consume} method,
 * started in its own JVM by the benchmark. Prints {@code BENCH-READY} when ready.
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
	void ready() {
		System.out.println("BENCH-READY");
	}

	@FarineService("bench-startup")
	static class Orders {

		@Consume(exchange = "bench-startup", routingKey = "bench-startup-farine")
		void on(Map<String, Object> order) {
		}

	}

}

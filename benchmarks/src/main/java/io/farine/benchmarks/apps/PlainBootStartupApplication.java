package io.farine.benchmarks.apps;

import java.util.Map;

import org.springframework.amqp.rabbit.annotation.Queue;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

/**
 * The baseline of the start-up scenario: a minimal Spring Boot application with one
 * {@code @RabbitListener}, started in its own JVM by the benchmark. Prints {@code BENCH-READY}
 * when ready.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = "io.farine.autoconfigure.FarineAutoConfiguration")
public class PlainBootStartupApplication {

	public static void main(String[] args) {
		SpringApplication.run(PlainBootStartupApplication.class, args);
	}

	@Bean
	Orders orders() {
		return new Orders();
	}

	@EventListener(ApplicationReadyEvent.class)
	void ready() {
		System.out.println("BENCH-READY");
	}

	static class Orders {

		@RabbitListener(queuesToDeclare = @Queue("bench-startup-plain"))
		void on(Map<String, Object> order) {
		}

	}

}

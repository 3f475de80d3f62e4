package io.farine.benchmarks.apps;

import java.util.ArrayList;
import java.util.List;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.annotation.EnableRabbit;
import org.springframework.amqp.rabbit.annotation.RabbitListenerConfigurer;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerEndpoint;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/**
 * The plain Spring Boot side of the services-per-process curve: {@code --bench.services=N}
 * direct exchanges, each with a durable queue bound to it and a listener endpoint consuming it
 * (what {@code @RabbitListener} registers), started in its own JVM. Prints {@code BENCH-READY}
 * when ready.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = "io.farine.autoconfigure.FarineAutoConfiguration")
@EnableRabbit
public class PlainBootServicesApplication {

	public static void main(String[] args) {
		SpringApplication.run(PlainBootServicesApplication.class, args);
	}

	@Bean
	Declarables queues(Environment environment) {
		List<Declarable> all = new ArrayList<>();
		for (String name : names(environment)) {
			DirectExchange exchange = new DirectExchange(name);
			Queue queue = new Queue(name);
			Binding binding = BindingBuilder.bind(queue).to(exchange).with(name);
			all.addAll(List.of(exchange, queue, binding));
		}
		return new Declarables(all);
	}

	@Bean
	RabbitListenerConfigurer listeners(Environment environment) {
		return (registrar) -> {
			for (String name : names(environment)) {
				SimpleRabbitListenerEndpoint endpoint = new SimpleRabbitListenerEndpoint();
				endpoint.setId(name);
				endpoint.setQueueNames(name);
				endpoint.setMessageListener((message) -> {
					// the curve measures start-up, not handling
				});
				registrar.registerEndpoint(endpoint);
			}
		};
	}

	private static List<String> names(Environment environment) {
		int count = environment.getRequiredProperty("bench.services", Integer.class);
		String prefix = environment.getRequiredProperty("bench.prefix");
		List<String> names = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			names.add(prefix + "-" + i);
		}
		return names;
	}

	@EventListener(ApplicationReadyEvent.class)
	void ready() {
		System.out.println("BENCH-READY");
	}

}

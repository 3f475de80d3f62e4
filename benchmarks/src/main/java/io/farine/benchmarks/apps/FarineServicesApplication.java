package io.farine.benchmarks.apps;

import java.util.Map;

import io.farine.amqp.Consume;
import io.farine.service.FarineService;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/**
 * The farine side of the services-per-process curve: {@code --bench.services=N} services named
 * {@code <bench.prefix>-<i>}, each consuming its own queue, started in its own JVM. A service's
 * name comes from its class's {@link FarineService}, so each gets a subclass of {@link Node}
 * made at start-up. Prints {@code BENCH-READY} when ready.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = "org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration")
public class FarineServicesApplication {

	public static void main(String[] args) {
		SpringApplication.run(FarineServicesApplication.class, args);
	}

	@Bean
	static BeanDefinitionRegistryPostProcessor services(Environment environment) {
		return (BeanDefinitionRegistry registry) -> {
			int count = environment.getRequiredProperty("bench.services", Integer.class);
			String prefix = environment.getRequiredProperty("bench.prefix");
			for (int i = 0; i < count; i++) {
				Class<? extends Node> type = new ByteBuddy().subclass(Node.class)
					.name(Node.class.getName() + "$Service" + i)
					.annotateType(AnnotationDescription.Builder.ofType(FarineService.class)
						.define("value", prefix + "-" + i)
						.build())
					.make()
					.load(Node.class.getClassLoader(), ClassLoadingStrategy.Default.INJECTION)
					.getLoaded();
				registry.registerBeanDefinition("service" + i, new RootBeanDefinition(type));
			}
		};
	}

	@EventListener(ApplicationReadyEvent.class)
	void ready() {
		System.out.println("BENCH-READY");
	}

	/** One service: consumes its own queue (exchange and queue named after the service). */
	public static class Node {

		@Consume
		public void on(Map<String, Object> body) {
			// the curve measures start-up, not handling
		}

	}

}

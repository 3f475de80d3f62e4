package io.farine.samples.quickstart;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The first farine service to run: {@link Greeter} publishes a greeting every second and
 * {@link Greetings} consumes them, through the local RabbitMQ.
 */
@SpringBootApplication
@EnableScheduling
public class QuickstartApplication {

	public static void main(String[] args) {
		SpringApplication.run(QuickstartApplication.class, args);
	}

}

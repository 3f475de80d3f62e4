package io.farine.samples.execute;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The execute sample: service {@link Heartbeat} runs in the background from start-up, publishing
 * a beat every second; its {@code @Consume} method logs them.
 */
@SpringBootApplication
public class ExecuteApplication {

	public static void main(String[] args) {
		SpringApplication.run(ExecuteApplication.class, args);
	}

}

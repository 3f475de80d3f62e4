package io.farine.samples.publishconsume;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Python farine README's first example in Java: service {@code publish} sends to exchange
 * {@code consume} with routing key {@code routing_key}, and service {@code consume} receives.
 * Run only one side with {@code --start=publish} or {@code --start=consume}; either side can be
 * the Python original on the same broker.
 */
@SpringBootApplication
public class PublishConsumeApplication {

	public static void main(String[] args) {
		SpringApplication.run(PublishConsumeApplication.class, args);
	}

}

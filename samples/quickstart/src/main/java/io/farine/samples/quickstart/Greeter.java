package io.farine.samples.quickstart;

import java.util.concurrent.atomic.AtomicLong;

import io.farine.amqp.Publish;
import io.farine.amqp.Publisher;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Service {@code greeter}: publishes a {@link Greeting} to exchange {@code greetings}, routing key
 * {@code hello}, every second, and waits for the broker's confirm each time.
 */
@Component
public class Greeter {

	private final AtomicLong count = new AtomicLong();

	@Publish(exchange = "greetings", routingKey = "hello")
	Publisher greetings;

	@Scheduled(fixedDelay = 1000, initialDelay = 500)
	void greet() {
		this.greetings.publish(new Greeting("world", this.count.incrementAndGet()));
	}

}

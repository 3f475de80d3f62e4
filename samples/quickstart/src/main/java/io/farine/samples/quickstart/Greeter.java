package io.farine.samples.quickstart;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.farine.amqp.Publish;
import io.farine.amqp.Publisher;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Service {@code greeter}: publishes a {@link Greeting} to exchange {@code greetings}, routing key
 * {@code hello}, every second, and waits for the broker's confirm each time; every fifth time, it
 * asks service {@code greetings} over RPC how many it received.
 */
@Component
public class Greeter {

	private static final Log logger = LogFactory.getLog(Greeter.class);

	private final AtomicLong count = new AtomicLong();

	private final GreetingsClient greetingsClient;

	@Publish(exchange = "greetings", routingKey = "hello")
	Publisher greetings;

	Greeter(GreetingsClient greetingsClient) {
		this.greetingsClient = greetingsClient;
	}

	@Scheduled(fixedDelay = 1000, initialDelay = 500)
	void greet() {
		long number = this.count.incrementAndGet();
		this.greetings.publish(new Greeting("world", number));
		if (number % 5 == 0) {
			logger.info("Sent " + number + " greetings; service greetings says it received "
					+ this.greetingsClient.received());
		}
	}

}

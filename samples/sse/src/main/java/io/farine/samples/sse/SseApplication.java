package io.farine.samples.sse;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sse sample: {@link PriceFeed} serves a Server-Sent-Events stream of prices on
 * {@code /prices}; service {@link Prices} listens to it with {@code @SseListener}, the
 * endpoint coming from its farine.ini section.
 */
@SpringBootApplication
public class SseApplication {

	public static void main(String[] args) {
		SpringApplication.run(SseApplication.class, args);
	}

}

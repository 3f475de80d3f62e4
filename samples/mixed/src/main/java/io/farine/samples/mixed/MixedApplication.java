package io.farine.samples.mixed;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Python farine overview in one application: {@link NewsFeed} serves a Server-Sent-Events
 * stream; service {@code forwarder} listens to it and forwards each event over RPC to service
 * {@code analyzer}, which answers. Run the services apart with {@code --start=forwarder} and
 * {@code --start=analyzer}.
 */
@SpringBootApplication
public class MixedApplication {

	public static void main(String[] args) {
		SpringApplication.run(MixedApplication.class, args);
	}

}

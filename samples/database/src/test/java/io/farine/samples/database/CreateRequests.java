package io.farine.samples.database;

import io.farine.amqp.Publish;
import io.farine.amqp.Publisher;

import org.springframework.stereotype.Component;

/** Plays another service sending {@code create} requests; found by the sample's component scan in tests. */
@Component
public class CreateRequests {

	@Publish(exchange = "users", routingKey = "create")
	Publisher create;

}

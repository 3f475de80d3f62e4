package io.farine.samples.database;

import io.farine.amqp.Consume;
import io.farine.amqp.Publish;
import io.farine.amqp.Publisher;
import io.farine.rpc.RpcMethod;

import org.springframework.stereotype.Component;

/**
 * Service {@code users}. Each call runs in a transaction: a {@code create} whose insert fails
 * (a duplicate name) commits nothing, publishes nothing, and is dead-lettered after its retries.
 * Its {@code created} event goes through the transactional outbox: it is stored with the new
 * row and sent after the commit, so it exists exactly when the row does. Nobody may listen to it
 * yet, so its publisher is not mandatory: an event no queue takes is counted
 * ({@code farine.publish.unroutable}), not an error. {@code create} is idempotent: a request
 * delivered again (after a crash between the commit and the ack, say) is acknowledged without a
 * second insert, which would fail on the unique name.
 */
@Component
public class Users {

	/** A user to create: {@code {"name": "..."}}. */
	public record NewUser(String name) {
	}

	private final UserRepository repository;

	@Publish(exchange = "users", routingKey = "created", mandatory = false)
	Publisher created;

	Users(UserRepository repository) {
		this.repository = repository;
	}

	@Consume(exchange = "users", routingKey = "create", idempotent = true)
	void create(NewUser user) {
		User saved = this.repository.save(new User(null, user.name()));
		this.created.publish(saved);
	}

	@RpcMethod
	long count() {
		return this.repository.count();
	}

	@RpcMethod
	User find(String name) {
		return this.repository.findByName(name).orElse(null);
	}

}

package io.farine.samples.database;

import io.farine.amqp.Consume;
import io.farine.amqp.Publish;
import io.farine.amqp.Publisher;
import io.farine.rpc.RpcMethod;

import org.springframework.stereotype.Component;

/**
 * Service {@code users}. Each call runs in a transaction: a {@code create} whose insert fails
 * (a duplicate name) commits nothing, publishes nothing, and is dead-lettered after its retries.
 */
@Component
public class Users {

	/** A user to create: {@code {"name": "..."}}. */
	public record NewUser(String name) {
	}

	private final UserRepository repository;

	@Publish(exchange = "users", routingKey = "created")
	Publisher created;

	Users(UserRepository repository) {
		this.repository = repository;
	}

	@Consume(exchange = "users", routingKey = "create")
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

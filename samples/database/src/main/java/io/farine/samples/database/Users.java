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
 * row and sent after the commit, so it exists exactly when the row does. {@code create} is
 * idempotent: a request delivered again (after a crash between the commit and the ack, say) is
 * acknowledged without a second insert, which would fail on the unique name.
 */
@Component
public class Users {

	/** A user to create: {@code {"name": "..."}}. */
	public record NewUser(String name) {
	}

	private static final org.apache.commons.logging.Log logger = org.apache.commons.logging.LogFactory.getLog(Users.class);

	private final UserRepository repository;

	@Publish(exchange = "users", routingKey = "created")
	Publisher created;

	Users(UserRepository repository) {
		this.repository = repository;
	}

	@Consume(exchange = "users", routingKey = "create", idempotent = true)
	void create(NewUser user) {
		User saved = this.repository.save(new User(null, user.name()));
		this.created.publish(saved);
	}

	/**
	 * Hears its own {@code created} events, as another service would: publishes are mandatory, so
	 * without a queue bound to {@code created} every create would fail as unroutable.
	 */
	@Consume(exchange = "users", routingKey = "created")
	void created(User user) {
		logger.info("User " + user.id() + " created: " + user.name());
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

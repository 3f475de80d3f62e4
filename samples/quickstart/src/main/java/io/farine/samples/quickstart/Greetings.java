package io.farine.samples.quickstart;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.farine.amqp.Consume;
import io.farine.rpc.RpcMethod;

import org.springframework.stereotype.Component;

/**
 * Service {@code greetings}: consumes queue {@code hello} on exchange {@code greetings}; each
 * message arrives as a {@link Greeting} and is acknowledged when the method returns. Its RPC
 * method {@code greetings.received} tells how many arrived.
 */
@Component
public class Greetings {

	private static final Log logger = LogFactory.getLog(Greetings.class);

	private final AtomicLong received = new AtomicLong();

	@Consume(exchange = "greetings", routingKey = "hello")
	void onGreeting(Greeting greeting) {
		this.received.incrementAndGet();
		logger.info("Hello, " + greeting.to() + "! (#" + greeting.number() + ")");
	}

	/** How many greetings arrived; callable over RPC as {@code greetings.received}. */
	@RpcMethod
	public long received() {
		return this.received.get();
	}

}

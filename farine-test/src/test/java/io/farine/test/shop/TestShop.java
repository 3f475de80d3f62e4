package io.farine.test.shop;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.farine.amqp.Consume;
import io.farine.amqp.Publish;
import io.farine.amqp.Publisher;
import io.farine.cluster.OnEvent;
import io.farine.cluster.OnQuery;
import io.farine.rpc.RpcMethod;

import org.springframework.stereotype.Component;

/**
 * Service {@code testshop}: takes orders, fails an order's first {@code failures} attempts, fails
 * an order {@code "poison"} always, and publishes an invoice for each order it took; adds and
 * counts over RPC; takes event {@code farine-test-tick} (failing one {@code "fail"}) and answers
 * query {@code farine-test-status}.
 */
@Component
public class TestShop {

	@Publish(exchange = "farine-test-invoices", routingKey = "created", mandatory = false)
	Publisher invoices;

	private final ConcurrentMap<Object, AtomicInteger> attempts = new ConcurrentHashMap<>();

	@Consume(exchange = "farine-test-shop", routingKey = "farine-test-order")
	void onOrder(Map<String, Object> order) {
		if (Boolean.TRUE.equals(order.get("poison"))) {
			throw new IllegalStateException("order " + order.get("id") + " is poison");
		}
		int failures = ((Number) order.getOrDefault("failures", 0)).intValue();
		if (this.attempts.computeIfAbsent(order.get("id"), (id) -> new AtomicInteger()).incrementAndGet() <= failures) {
			throw new IllegalStateException("order " + order.get("id") + " failed on purpose");
		}
		this.invoices.publish(Map.of("order", order.get("id")));
	}

	@OnEvent("farine-test-tick")
	void onTick(Map<String, Object> payload) {
		if (Boolean.TRUE.equals(payload.get("fail"))) {
			throw new IllegalStateException("tick " + payload.get("n") + " failed on purpose");
		}
	}

	@OnQuery("farine-test-status")
	Map<String, Object> status(Map<String, Object> asked) {
		return Map.of("open", true);
	}

	@RpcMethod
	public int add(int a, int b) {
		return a + b;
	}

	@RpcMethod
	public Stream<Integer> count(int n) {
		return IntStream.range(0, n).boxed();
	}

	@RpcMethod
	public void boom() {
		throw new IllegalArgumentException("boom");
	}

}

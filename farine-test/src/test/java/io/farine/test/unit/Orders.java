package io.farine.test.unit;

import java.util.Map;

import io.farine.amqp.Consume;
import io.farine.amqp.Publish;
import io.farine.amqp.Publisher;

import org.springframework.beans.factory.annotation.Autowired;

/** A service built by {@code ServiceUnderTestTests}: a constructor client, publishers, an autowired field. */
public class Orders {

	private final CalculatorClient calculator;

	@Publish(exchange = "billing", routingKey = "invoice")
	Publisher invoices;

	@Publish
	Publisher events;

	@Autowired
	Clock clock;

	public Orders(CalculatorClient calculator) {
		this.calculator = calculator;
	}

	@Consume(exchange = "shop", routingKey = "order")
	public void onOrder(Map<String, Integer> order) {
		int total = this.calculator.add(order.get("price"), order.get("shipping"));
		this.invoices.publish(Map.of("total", total, "at", this.clock.now()));
	}

	/** A dependency of the service that is not farine's. */
	public interface Clock {

		long now();

	}

}

package io.farine.samples.rpc;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.farine.config.FarineProperties;
import io.farine.rpc.RpcClient;
import io.farine.rpc.RpcOperations;
import io.farine.rpc.RpcRemoteException;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Service {@code client}: once the application is ready, calls every method of
 * {@code calculator}, through the typed {@link CalculatorClient} and by name through
 * {@link RpcOperations}, and logs what came back.
 */
@Component
public class Client {

	private static final Log logger = LogFactory.getLog(Client.class);

	private final CalculatorClient calculator;

	private final FarineProperties properties;

	@RpcClient("calculator")
	RpcOperations calculatorByName;

	Client(CalculatorClient calculator, FarineProperties properties) {
		this.calculator = calculator;
		this.properties = properties;
	}

	@EventListener(ApplicationReadyEvent.class)
	void callTheCalculator() {
		if (!this.properties.runs("client")) {
			return;
		}
		logger.info("calculator.add(1, 2) = " + this.calculator.add(1, 2));
		logger.info("calculator.add(40, 2), asynchronously = " + this.calculator.addAsync(40, 2).join());
		JsonNode echoed = this.calculatorByName.request("echo").args(1, "two").kwarg("three", 3).call();
		logger.info("calculator.echo(1, 'two', three=3) = " + echoed);
		try (var numbers = this.calculator.count(5)) {
			List<Integer> items = numbers.toList();
			logger.info("calculator.count(5) streamed " + items);
		}
		try {
			this.calculator.boom();
		}
		catch (RpcRemoteException ex) {
			logger.info("calculator.boom() failed as expected: " + ex.getRemoteType() + ": " + ex.getRemoteMessage());
		}
	}

}

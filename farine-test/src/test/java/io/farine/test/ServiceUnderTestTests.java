package io.farine.test;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.farine.rpc.RpcOperations;
import io.farine.test.unit.Caller;
import io.farine.test.unit.CalculatorClient;
import io.farine.test.unit.Orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ServiceUnderTestTests {

	private final Orders.Clock clock = () -> 42L;

	@Test
	void fillsPublishersClientStubsAndDependencies() {
		RpcStubs<CalculatorClient> calculator = RpcStubs.of(CalculatorClient.class);
		calculator.when("add", 10, 5).thenReturn(15);
		ServiceUnderTest<Orders> orders = ServiceUnderTest.of(Orders.class).with(calculator).with(this.clock).build();
		orders.service().onOrder(Map.of("price", 10, "shipping", 5));
		assertThat(orders.publisher("invoices").bodies()).containsExactly(Map.of("total", 15, "at", 42L));
		assertThat(orders.publisher("invoices").exchange()).isEqualTo("billing");
		assertThat(orders.stubs(CalculatorClient.class)).isSameAs(calculator);
	}

	@Test
	void aPublishWithoutExchangeOrKeyGoesToTheServiceName() {
		ServiceUnderTest<Orders> orders = ServiceUnderTest.of(Orders.class).with(this.clock).build();
		assertThat(orders.publisher("events").exchange()).isEqualTo("orders");
		assertThat(orders.publisher("events").routingKey()).isEqualTo("orders");
	}

	@Test
	void aClientNotGivenGetsEmptyStubs() {
		ServiceUnderTest<Orders> orders = ServiceUnderTest.of(Orders.class).with(this.clock).build();
		orders.stubs(CalculatorClient.class).when("add", 1, 1).thenReturn(2);
		orders.service().onOrder(Map.of("price", 1, "shipping", 1));
		assertThat(orders.publisher("invoices").bodies()).hasSize(1);
	}

	@Test
	void aMissingDependencyIsNamed() {
		assertThatIllegalStateException().isThrownBy(() -> ServiceUnderTest.of(Orders.class).build())
			.withMessage("Orders's field clock needs a io.farine.test.unit.Orders$Clock: pass one with "
					+ "ServiceUnderTest.of(Orders.class).with(...)");
	}

	@Test
	void anRpcOperationsFieldTakesTheOneGivenOrIsNamed() {
		assertThatIllegalStateException().isThrownBy(() -> ServiceUnderTest.of(Caller.class).build())
			.withMessageStartingWith("Caller's field calculator needs a io.farine.rpc.RpcOperations");
		RpcOperations given = (RpcOperations) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { RpcOperations.class }, (proxy, method, args) -> "calculator");
		assertThat(ServiceUnderTest.of(Caller.class).with(given).build().service().calculator()).isSameAs(given);
	}

	@Test
	void anUnknownPublisherIsNamedWithTheKnownOnes() {
		ServiceUnderTest<Orders> orders = ServiceUnderTest.of(Orders.class).with(this.clock).build();
		assertThatIllegalArgumentException().isThrownBy(() -> orders.publisher("invoice"))
			.withMessage("Orders has no @Publish field 'invoice'; it has [invoices, events]");
	}

}

package io.farine.samples.rpc;

import org.junit.jupiter.api.Test;

import io.farine.rpc.RpcRemoteException;
import io.farine.test.FarineTest;
import io.farine.test.FarineTestClient;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Service calculator called through the broker with farine-test, as any RPC client calls it. */
@FarineTest
class CalculatorFarineTests {

	@Autowired
	FarineTestClient farine;

	@Test
	void addAnswersTheSum() {
		assertThat(this.farine.call("calculator", "add", 1, 2).asInt()).isEqualTo(3);
	}

	@Test
	void countStreamsEachNumber() {
		assertThat(this.farine.stream("calculator", "count", Integer.class, 4)).containsExactly(0, 1, 2, 3);
	}

	@Test
	void echoReturnsItsArgumentsAndKeywordArguments() {
		assertThat(this.farine.rpc("calculator").request("echo").args(1, "two").kwarg("three", 3).call())
			.hasToString("{\"args\":[1,\"two\"],\"kwargs\":{\"three\":3}}");
	}

	@Test
	void boomFailsWithTheRemoteError() {
		assertThatExceptionOfType(RpcRemoteException.class).isThrownBy(() -> this.farine.call("calculator", "boom"))
			.satisfies((ex) -> assertThat(ex.getRemoteMessage()).isEqualTo("boom"));
	}

}

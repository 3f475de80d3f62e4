package io.farine.test;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.farine.rpc.RpcRemoteException;
import io.farine.rpc.RpcTimeoutException;
import io.farine.test.unit.CalculatorClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RpcStubsTests {

	private final RpcStubs<CalculatorClient> stubs = RpcStubs.of(CalculatorClient.class);

	private final CalculatorClient calculator = this.stubs.client();

	@Test
	void aStubbedCallAnswersItsValueAndIsRecorded() {
		this.stubs.when("add", 1, 2).thenReturn(3).when("add", 2, 2).thenReturn(4);
		assertThat(this.calculator.add(1, 2)).isEqualTo(3);
		assertThat(this.calculator.add(2, 2)).isEqualTo(4);
		assertThat(this.stubs.calls()).extracting(Object::toString).containsExactly("add(1, 2)", "add(2, 2)");
	}

	@Test
	void argumentsAndResultsMatchAsJson() {
		this.stubs.when("sum", 1, 2).thenReturn(3);
		assertThat(this.calculator.sum(1L, 2L)).isEqualTo(3L);
		this.stubs.when("total", "x").thenReturn(java.util.Map.of("name", "x", "value", 7));
		assertThat(this.calculator.total("x").block()).isEqualTo(new CalculatorClient.Total("x", 7));
	}

	@Test
	void aLaterStubOfTheSameCallWins() {
		this.stubs.when("add", 1, 2).thenReturn(3);
		this.stubs.when("add", 1, 2).thenReturn(30);
		assertThat(this.calculator.add(1, 2)).isEqualTo(30);
	}

	@Test
	void everyReturnFormIsAnswered() throws Exception {
		this.stubs.when("addAsync", 1, 2).thenReturn(3).when("count", 3).thenStream(0, 1, 2)
			.when("countFlux", 2).thenStream(0, 1).when("reset").thenReturn(null);
		assertThat(this.calculator.addAsync(1, 2).get()).isEqualTo(3);
		assertThat(this.calculator.count(3)).containsExactly(0, 1, 2);
		assertThat(this.calculator.countFlux(2).collectList().block()).containsExactly(0, 1);
		this.calculator.reset();
	}

	@Test
	void aRemoteErrorIsAnRpcRemoteExceptionInEveryForm() {
		this.stubs.when("add", 1, 0).thenFailRemotely("ValueError", "no zero").when("addAsync", 1, 0)
			.thenFailRemotely("ValueError", "no zero").when("countFlux", -1).thenThrow(new RpcTimeoutException(
					"calculator", "countFlux", java.time.Duration.ofSeconds(1), true));
		assertThatExceptionOfType(RpcRemoteException.class).isThrownBy(() -> this.calculator.add(1, 0))
			.satisfies((ex) -> {
				assertThat(ex.getRemoteType()).isEqualTo("ValueError");
				assertThat(ex.getRemoteMessage()).isEqualTo("no zero");
				assertThat(ex.getMessage()).isEqualTo("calculator.add failed: ValueError: no zero");
			});
		assertThat(this.calculator.addAsync(1, 0)).failsWithin(java.time.Duration.ZERO)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(RpcRemoteException.class);
		assertThatExceptionOfType(RpcTimeoutException.class)
			.isThrownBy(() -> this.calculator.countFlux(-1).blockFirst());
	}

	@Test
	void aCallWithNoStubFailsListingTheStubs() {
		this.stubs.when("add", 1, 2).thenReturn(3);
		assertThatThrownBy(() -> this.calculator.add(5, 6)).isInstanceOf(AssertionError.class)
			.hasMessage("CalculatorClient.add(5, 6) was called but has no stub; stubbed: [add(1,2)]");
	}

	@Test
	void aStubOfAnUnknownMethodIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.stubs.when("multiply", 1, 2))
			.withMessage("CalculatorClient has no method 'multiply'");
		assertThat(List.of(this.calculator)).containsExactly(this.calculator);
	}

}

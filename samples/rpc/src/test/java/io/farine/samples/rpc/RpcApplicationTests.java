package io.farine.samples.rpc;

import org.junit.jupiter.api.Test;

import io.farine.rpc.RpcClientFactory;
import io.farine.rpc.RpcRemoteException;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rpc sample as a user runs it, against the local RabbitMQ. */
@SpringBootTest
class RpcApplicationTests {

	@Autowired
	CalculatorClient calculator;

	@Autowired
	RpcClientFactory clients;

	@Test
	void everyCalculatorMethodAnswers() {
		assertThat(this.calculator.add(1, 2)).isEqualTo(3);
		assertThat(this.calculator.echo(1, "two").toString()).isEqualTo("{\"args\":[1,\"two\"],\"kwargs\":{}}");
		assertThat(this.calculator.count(5)).containsExactly(0, 1, 2, 3, 4);
		assertThatThrownBy(this.calculator::boom).isInstanceOf(RpcRemoteException.class).hasMessageContaining("boom");
		assertThat(this.clients.operations("calculator").call("add", Integer.class, 2, 2)).isEqualTo(4);
	}

}

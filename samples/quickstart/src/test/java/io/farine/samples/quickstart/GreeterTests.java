package io.farine.samples.quickstart;

import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import io.farine.test.RpcStubs;
import io.farine.test.ServiceUnderTest;

import static org.assertj.core.api.Assertions.assertThat;

/** The greeter alone, without a broker: its publisher records, its RPC client is stubbed. */
class GreeterTests {

	@Test
	void greetsEverySecondAndAsksHowManyArrivedEveryFifthTime() {
		RpcStubs<GreetingsClient> greetings = RpcStubs.of(GreetingsClient.class);
		greetings.when("received").thenReturn(5L);
		ServiceUnderTest<Greeter> greeter = ServiceUnderTest.of(Greeter.class).with(greetings).build();
		for (int i = 0; i < 5; i++) {
			greeter.service().greet();
		}
		assertThat(greeter.publisher("greetings").bodies())
			.containsExactlyElementsOf(LongStream.rangeClosed(1, 5).mapToObj((n) -> new Greeting("world", n)).toList());
		assertThat(greetings.calls()).extracting(Object::toString).containsExactly("received()");
	}

}

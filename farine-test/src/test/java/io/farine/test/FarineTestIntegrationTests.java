package io.farine.test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.farine.rpc.RpcRemoteException;
import io.farine.test.shop.ShopApplication;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link FarineTest} and {@link FarineTestClient} against the local RabbitMQ, driving {@code testshop}. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@FarineTest(classes = ShopApplication.class, properties = { "farine.services.testshop.consume_retries=2",
		"farine.services.testshop.consume_retry_delay=10ms", "farine.test.timeout=10s" })
class FarineTestIntegrationTests {

	@Autowired
	FarineTestClient farine;

	@Test
	@Order(1)
	void aMessagePublishedInOneTest() {
		this.farine.publish("farine-test-shop", "farine-test-order", Map.of("id", 8));
		assertThat(this.farine.awaitHandled("testshop.onOrder").handled()).isTrue();
	}

	@Test
	@Order(2)
	void doesNotAnswerTheNextTestsWait() {
		// nothing published in this test, and nothing handled since it began
		assertThatThrownBy(() -> this.farine.withTimeout(Duration.ofMillis(300)).awaitHandled("testshop.onOrder"))
			.isInstanceOf(AssertionError.class)
			.hasMessageStartingWith("testshop.onOrder did not finish with a message within PT0.3S");
	}

	@Test
	void aPublishedMessageIsHandledAndItsInvoicePublished() {
		PublishedMessages invoices = this.farine.published("farine-test-invoices", "created");
		this.farine.publish("farine-test-shop", "farine-test-order", Map.of("id", 1));
		Handling handling = this.farine.awaitHandled("testshop.onOrder");
		assertThat(handling.handled()).as(handling.toString()).isTrue();
		assertThat(handling.attempts()).isEqualTo(1);
		List<PublishedMessage> published = invoices.await(1);
		assertThat(published.get(0).json().path("order").asInt()).isEqualTo(1);
		assertThat(published.get(0).as(Map.class)).containsEntry("order", 1);
	}

	@Test
	void aMessageHandledAfterFailuresTellsItsRetries() {
		this.farine.publish("farine-test-shop", "farine-test-order", Map.of("id", 2, "failures", 2));
		Handling handling = this.farine.awaitHandled("testshop.onOrder");
		assertThat(handling.handled()).as(handling.toString()).isTrue();
		assertThat(handling.retries()).isEqualTo(2);
	}

	@Test
	void aMessageThatFailsEveryTimeIsDeadLetteredWithItsReason() {
		this.farine.publish("farine-test-shop", "farine-test-order", Map.of("id", 3, "poison", true));
		Handling handling = this.farine.awaitHandled("testshop.onOrder");
		assertThat(handling.deadLettered()).as(handling.toString()).isTrue();
		assertThat(handling.attempts()).isEqualTo(3);
		assertThat(handling.deadLetterQueue()).isEqualTo("farine-test-order.dlq");
		assertThat(handling.reason()).isEqualTo("java.lang.IllegalStateException: order 3 is poison");
	}

	@Test
	void aBodyTheHandlerCannotTakeIsDeadLetteredWithoutAttempts() {
		this.farine.publish("farine-test-shop", "farine-test-order", "not an order".getBytes());
		Handling handling = this.farine.awaitHandled("testshop.onOrder");
		assertThat(handling.deadLettered()).as(handling.toString()).isTrue();
		assertThat(handling.attempts()).isZero();
	}

	@Test
	void rpcMethodsAreCalledThroughTheRealClient() {
		assertThat(this.farine.call("testshop", "add", 1, 2).asInt()).isEqualTo(3);
		assertThat(this.farine.stream("testshop", "count", Integer.class, 3)).containsExactly(0, 1, 2);
		assertThatExceptionOfType(RpcRemoteException.class).isThrownBy(() -> this.farine.call("testshop", "boom"))
			.satisfies((ex) -> assertThat(ex.getRemoteMessage()).isEqualTo("boom"));
	}

	@Test
	void aWaitThatTimesOutSaysWhatDidArrive() {
		FarineTestClient impatient = this.farine.withTimeout(Duration.ofMillis(500));
		PublishedMessages invoices = impatient.published("farine-test-invoices", "created");
		impatient.publish("farine-test-shop", "farine-test-order", Map.of("id", 4));
		impatient.awaitHandled("testshop.onOrder");
		assertThatThrownBy(() -> invoices.await(2)).isInstanceOf(AssertionError.class)
			.hasMessageContaining("Expected 2 message(s) published to exchange 'farine-test-invoices' with routing "
					+ "key 'created' within PT0.5S")
			.hasMessageContaining("but 1 arrived: [farine-test-invoices/created {\"order\":4}]");
	}

	@Test
	void aHandlerThatDoesNotFinishInTimeIsReportedWithWhatItFinished() {
		this.farine.publish("farine-test-shop", "farine-test-order", Map.of("id", 5));
		this.farine.awaitHandled("testshop.onOrder");
		FarineTestClient impatient = this.farine.withTimeout(Duration.ofMillis(300));
		// routed to the test's own queue only, so onOrder never sees it
		impatient.published("farine-test-shop", "farine-test-elsewhere");
		impatient.publish("farine-test-shop", "farine-test-elsewhere", Map.of("id", 6));
		assertThatThrownBy(() -> impatient.awaitHandled("testshop.onOrder")).isInstanceOf(AssertionError.class)
			.hasMessageStartingWith("testshop.onOrder did not finish with message ")
			.hasMessageContaining("within PT0.3S; finished meanwhile: ")
			.hasMessageContaining("queue 'farine-test-order' of testshop message ");
	}

	@Test
	void anUnknownHandlerIsNamedWithTheKnownOnes() {
		assertThatThrownBy(() -> this.farine.awaitHandled("testshop.onOrders"))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("No @Consume, @OnEvent, @OnQuery or @SseListener handler 'testshop.onOrders' "
					+ "(service.method); the application has [testshop.onOrder, testshop.onTick, testshop.status]");
	}

}

package io.farine.rpc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The bounded buffer between the reply consumer of a stream and its one reader. */
class StreamedItemsTests {

	private final RpcTransport.Call call = new RpcTransport.Call("svc", "numbers", List.of(), Map.of(),
			Duration.ofSeconds(10), true);

	private static final JavaType INT = new JsonMapper().constructType(Integer.class);

	@Test
	void aFullBufferMakesTheProducerWaitUntilTheReaderTakesAnItem() throws Exception {
		StreamedItems items = new StreamedItems(this.call, INT, 2);
		items.item(Integer.valueOf(0));
		items.item(Integer.valueOf(1));
		Thread third = new Thread(() -> items.item(Integer.valueOf(2)), "producer");
		third.start();
		// the producer parks on the full buffer instead of adding a third item
		await().atMost(Duration.ofSeconds(10)).until(() -> third.getState() == Thread.State.WAITING);
		assertThat(items.backlogged()).isTrue();
		assertThat(items.next()).isEqualTo(0);
		third.join(10_000);
		assertThat(third.isAlive()).isFalse();
		assertThat(items.next()).isEqualTo(1);
		assertThat(items.next()).isEqualTo(2);
		assertThat(items.backlogged()).isFalse();
	}

	@Test
	void theEndAndErrorsNeverWaitAndComeAfterTheItemsBeforeThem() {
		StreamedItems ended = new StreamedItems(this.call, INT, 1);
		ended.item(Integer.valueOf(7));
		ended.end();
		assertThat(ended.next()).isEqualTo(7);
		assertThat(ended.hasNext()).isFalse();

		StreamedItems failed = new StreamedItems(this.call, INT, 1);
		failed.item(Integer.valueOf(7));
		failed.error(new RpcException("svc", "numbers", "boom", null));
		assertThat(failed.next()).isEqualTo(7);
		assertThatThrownBy(failed::hasNext).isInstanceOf(RpcException.class).hasMessageContaining("boom");
	}

	@Test
	void aNullItemIsAnItemNotTheEnd() {
		StreamedItems items = new StreamedItems(this.call, INT, 2);
		items.item(null);
		items.item(Integer.valueOf(1));
		items.end();
		assertThat(items.hasNext()).isTrue();
		assertThat(items.next()).isNull();
		assertThat(items.next()).isEqualTo(1);
		assertThat(items.hasNext()).isFalse();
	}

	@Test
	void closingWakesAWaitingProducerAndEndsTheStream() throws Exception {
		StreamedItems items = new StreamedItems(this.call, INT, 1);
		items.item(Integer.valueOf(0));
		CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> items.item(Integer.valueOf(1)));
		items.close();
		waiting.get(10, TimeUnit.SECONDS);
		assertThat(items.hasNext()).isFalse();
		assertThat(items.backlogged()).isFalse();
	}

}

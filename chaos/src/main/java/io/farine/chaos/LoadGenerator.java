package io.farine.chaos;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.jspecify.annotations.Nullable;

/**
 * Plays the clients of the service: publishes {@code create} requests with distinct names and
 * message ids, persistent, mandatory and confirmed, at a steady pace over the load's duration. A
 * batch whose confirms do not all come (a nack, a return, the connection lost, no answer within
 * 30 s) is published again with the same message ids: at least once from the producer's side, as a
 * careful client does; the service's inbox makes the copies harmless.
 */
final class LoadGenerator implements Runnable {

	private static final int MAX_BATCH = 200;

	private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(30);

	private final ConnectionFactory factory;

	private final int messages;

	private final Duration spread;

	private final String runId;

	private final BitSet confirmed;

	private final AtomicInteger republished = new AtomicInteger();

	private final AtomicInteger connections = new AtomicInteger();

	/** Message ids the broker returned as unroutable since their batch was published. */
	private final Set<String> returned = ConcurrentHashMap.newKeySet();

	private final CountDownLatch finished = new CountDownLatch(1);

	private volatile @Nullable String lastFailure;

	private volatile boolean stopped;

	private @Nullable Connection connection;

	private @Nullable Channel channel;

	/**
	 * @param messages how many requests to publish
	 * @param spread the time over which to publish them
	 * @param runId the prefix of the message ids, unique per run
	 */
	LoadGenerator(ConnectionFactory factory, int messages, Duration spread, String runId) {
		this.factory = factory;
		this.messages = messages;
		this.spread = spread;
		this.runId = runId;
		this.confirmed = new BitSet(messages);
	}

	/** The user name of request {@code index}: what the {@code users} row and the event carry. */
	static String name(int index) {
		return String.format("user-%06d", index);
	}

	@Override
	public void run() {
		long start = System.nanoTime();
		Deque<Integer> again = new ArrayDeque<>();
		int next = 0;
		try {
			while (!this.stopped && (next < this.messages || !again.isEmpty())) {
				List<Integer> batch = new ArrayList<>();
				while (!again.isEmpty() && batch.size() < MAX_BATCH) {
					batch.add(again.poll());
				}
				while (next < this.messages && batch.size() < MAX_BATCH && System.nanoTime() >= due(start, next)) {
					batch.add(next++);
				}
				if (batch.isEmpty()) {
					Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(due(start, next) - System.nanoTime())));
					continue;
				}
				List<Integer> failed = publish(batch);
				if (!failed.isEmpty()) {
					again.addAll(failed);
					this.republished.addAndGet(failed.size());
				}
				if (failed.size() == batch.size()) {
					Thread.sleep(500);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			disconnect();
			this.finished.countDown();
		}
	}

	private long due(long start, int index) {
		return start + this.spread.toNanos() * index / this.messages;
	}

	/** Publishes a batch and waits for its confirms; returns the requests to publish again. */
	private List<Integer> publish(List<Integer> batch) {
		try {
			Channel channel = channel();
			for (int index : batch) {
				AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().messageId(messageId(index))
					.contentType("application/json")
					.contentEncoding("utf-8")
					.deliveryMode(2)
					.build();
				byte[] body = ("{\"name\": \"" + name(index) + "\"}").getBytes(StandardCharsets.UTF_8);
				channel.basicPublish("users", "create", true, properties, body);
			}
			channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT.toMillis());
			// a return comes before its confirm: every return of this batch has been seen
			List<Integer> unroutable = new ArrayList<>();
			for (int index : batch) {
				if (this.returned.remove(messageId(index))) {
					unroutable.add(index);
				}
				else {
					synchronized (this.confirmed) {
						this.confirmed.set(index);
					}
				}
			}
			if (!unroutable.isEmpty()) {
				this.lastFailure = unroutable.size() + " request(s) returned as unroutable";
			}
			return unroutable;
		}
		catch (Exception ex) {
			// a nack, a timeout, a lost connection: nothing of the batch is known to be kept
			this.lastFailure = ex.toString();
			disconnect();
			return batch;
		}
	}

	private Channel channel() throws Exception {
		Channel current = this.channel;
		if (current != null && current.isOpen()) {
			return current;
		}
		disconnect();
		Connection opened = this.factory.newConnection(ClusterVhost.nodes(), "farine-chaos-load");
		this.connections.incrementAndGet();
		this.connection = opened;
		Channel created = opened.createChannel();
		created.confirmSelect();
		created.addReturnListener((returned) -> this.returned.add(returned.getProperties().getMessageId()));
		this.channel = created;
		return created;
	}

	private void disconnect() {
		Connection current = this.connection;
		this.connection = null;
		this.channel = null;
		if (current != null) {
			current.abort(1000);
		}
	}

	private String messageId(int index) {
		return this.runId + "-" + index;
	}

	/** Requests the broker confirmed (each counted once, however often it was published). */
	int confirmed() {
		synchronized (this.confirmed) {
			return this.confirmed.cardinality();
		}
	}

	/** Publications made again after a failure. */
	int republished() {
		return this.republished.get();
	}

	/** Connections opened: one more after each failure. */
	int connections() {
		return this.connections.get();
	}

	@Nullable String lastFailure() {
		return this.lastFailure;
	}

	boolean awaitFinished(Duration limit) throws InterruptedException {
		return this.finished.await(limit.toMillis(), TimeUnit.MILLISECONDS);
	}

	void stop() {
		this.stopped = true;
	}

}

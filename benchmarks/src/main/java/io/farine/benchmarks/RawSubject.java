package io.farine.benchmarks;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.farine.amqp.FarineMessage;
import io.farine.amqp.Wire;
import tools.jackson.databind.json.JsonMapper;

/** The ceiling: the raw client, bytes serialized once, confirms and acks by hand. */
final class RawSubject implements PublishConsume.Timed {

	private final String queue = Contexts.unique("bench-pc-raw");

	private final Connection publisherConnection;

	private final Connection consumerConnection;

	private final Channel publisher;

	private byte[] body;

	private int bytes;

	/** The headers every farine publish carries: who sent it (the service, its instance id). */
	private static final Map<String, Object> SENDER = Map.of(FarineMessage.SENDER_SERVICE_HEADER, "bench",
			FarineMessage.SENDER_INSTANCE_HEADER, Wire.newId());

	private final ConcurrentNavigableMap<Long, Boolean> unconfirmed = new ConcurrentSkipListMap<>();

	private volatile Semaphore inFlight = new Semaphore(PublishConsume.IN_FLIGHT);

	private volatile CountDownLatch latch = new CountDownLatch(0);

	/**
	 * Set for the raw client sending what farine sends (a direct exchange and binding, mandatory,
	 * a fresh message id and the content encoding) instead of the least the broker needs: what
	 * farine's wire costs the broker, apart from what farine's client does.
	 */
	private final boolean farineWire;

	RawSubject() throws Exception {
		this(1, false);
	}

	RawSubject(int consumers) throws Exception {
		this(consumers, false);
	}

	/** With {@code consumers} consuming channels on the queue, each with the same prefetch. */
	RawSubject(int consumers, boolean farineWire) throws Exception {
		this.farineWire = farineWire;
		Broker.declareDurable(this.queue);
		this.body = new JsonMapper().writeValueAsBytes(PublishConsume.message(0));
		ConnectionFactory factory = Broker.factory();
		this.publisherConnection = factory.newConnection("bench-raw-publisher");
		this.consumerConnection = factory.newConnection("bench-raw-consumer");
		this.publisher = this.publisherConnection.createChannel();
		if (farineWire) {
			this.publisher.exchangeDeclare(this.queue, "direct", true);
			this.publisher.queueBind(this.queue, this.queue, this.queue);
		}
		this.publisher.confirmSelect();
		this.publisher.addConfirmListener(new ConfirmListener() {

			@Override
			public void handleAck(long tag, boolean multiple) {
				settle(tag, multiple);
			}

			@Override
			public void handleNack(long tag, boolean multiple) {
				settle(tag, multiple);
			}

		});
		for (int i = 0; i < consumers; i++) {
			Channel consumer = this.consumerConnection.createChannel();
			consumer.basicQos(PublishConsume.PREFETCH);
			consumer.basicConsume(this.queue, false, new DefaultConsumer(consumer) {

				@Override
				public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
						byte[] body) throws IOException {
					getChannel().basicAck(envelope.getDeliveryTag(), false);
					RawSubject.this.latch.countDown();
				}

			});
		}
	}

	/** Publishes a body of about {@code bytes} bytes (serialized once) from now on (0: the ~200-byte order). */
	RawSubject body(int bytes) {
		this.bytes = bytes;
		this.body = new JsonMapper().writeValueAsBytes(PublishConsume.message(0, bytes));
		return this;
	}

	private void settle(long tag, boolean multiple) {
		if (multiple) {
			ConcurrentNavigableMap<Long, Boolean> head = this.unconfirmed.headMap(tag, true);
			int count = head.size();
			head.clear();
			this.inFlight.release(count);
		}
		else if (this.unconfirmed.remove(tag) != null) {
			this.inFlight.release();
		}
	}

	@Override
	public String name() {
		return this.farineWire ? "raw-client (farine's wire)" : "raw-client";
	}

	@Override
	public double run(int messages) throws Exception {
		this.latch = new CountDownLatch(messages);
		this.inFlight = new Semaphore(PublishConsume.inFlight(this.bytes));
		AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
			.deliveryMode(2)
			.build();
		long start = System.nanoTime();
		for (int i = 0; i < messages; i++) {
			this.inFlight.acquire();
			this.unconfirmed.put(this.publisher.getNextPublishSeqNo(), Boolean.TRUE);
			if (this.farineWire) {
				this.publisher.basicPublish(this.queue, this.queue, true, new AMQP.BasicProperties.Builder()
					.contentType("application/json")
					.contentEncoding("utf-8")
					.messageId(Wire.newId())
					.deliveryMode(2)
					.headers(SENDER)
					.build(), this.body);
			}
			else {
				this.publisher.basicPublish("", this.queue, properties, this.body);
			}
		}
		this.latch.await();
		return messages / ((System.nanoTime() - start) / 1e9);
	}

	@Override
	public void close() throws Exception {
		this.publisherConnection.close();
		this.consumerConnection.close();
		Broker.delete(this.queue);
		if (this.farineWire) {
			Broker.deleteExchange(this.queue);
		}
	}

}

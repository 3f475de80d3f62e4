package io.farine.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.farine.amqp.Wire;

/**
 * RPC with the raw client, the ceiling: a server consuming one queue and replying through the
 * default exchange, a client with a correlation map and either an exclusive reply queue or
 * RabbitMQ's direct reply-to. Bytes only, no JSON. Two connections, as two processes would have.
 * With farine's wire, it sends what a farine call between farine peers sends instead of the least
 * the broker needs: a durable queue behind a direct exchange, a request with farine's properties
 * (32-hex ids, content type and encoding, an expiration, the compact-reply header), mandatory,
 * and the reply through that exchange. That is what the wire costs, apart from farine's client.
 */
final class RawRpc implements AutoCloseable {

	private static final String DIRECT_REPLY_TO = "amq.rabbitmq.reply-to";

	private static final Map<String, Object> COMPACT_REPLY = Map.of("x-farine-reply", "compact");

	private final Connection serverConnection;

	private final Connection clientConnection;

	private final Channel clientChannel;

	private final String queue;

	private final String replyTo;

	private final Map<String, CompletableFuture<byte[]>> calls = new ConcurrentHashMap<>();

	private long next;

	/** The exchange requests and replies go through: the default one, or farine's direct one. */
	private final String exchange;

	private final boolean farineWire;

	RawRpc(String queue, boolean directReplyTo) throws Exception {
		this(queue, directReplyTo, false);
	}

	RawRpc(String queue, boolean directReplyTo, boolean farineWire) throws Exception {
		this.queue = queue;
		this.farineWire = farineWire;
		this.exchange = farineWire ? queue : "";
		this.serverConnection = Broker.factory().newConnection("bench-raw-rpc-server");
		this.clientConnection = Broker.factory().newConnection("bench-raw-rpc-client");
		Channel server = this.serverConnection.createChannel();
		server.queueDeclare(queue, farineWire, false, !farineWire, null);
		if (farineWire) {
			server.exchangeDeclare(queue, "direct", true);
			server.queueBind(queue, queue, queue);
		}
		server.basicQos(10);
		server.basicConsume(queue, false, new DefaultConsumer(server) {

			@Override
			public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
					throws IOException {
				AMQP.BasicProperties.Builder reply = new AMQP.BasicProperties.Builder()
					.correlationId(properties.getCorrelationId());
				if (farineWire) {
					reply.contentType("application/json").contentEncoding("utf-8").deliveryMode(1);
				}
				getChannel().basicPublish(RawRpc.this.exchange, properties.getReplyTo(), reply.build(), body);
				getChannel().basicAck(envelope.getDeliveryTag(), false);
			}

		});
		this.clientChannel = this.clientConnection.createChannel();
		this.replyTo = directReplyTo ? DIRECT_REPLY_TO : this.clientChannel.queueDeclare().getQueue();
		if (farineWire) {
			this.clientChannel.queueBind(this.replyTo, this.exchange, this.replyTo);
		}
		this.clientChannel.basicConsume(this.replyTo, true, new DefaultConsumer(this.clientChannel) {

			@Override
			public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
				CompletableFuture<byte[]> call = RawRpc.this.calls.remove(properties.getCorrelationId());
				if (call != null) {
					call.complete(body);
				}
			}

		});
	}

	CompletableFuture<byte[]> call(int i) {
		CompletableFuture<byte[]> result = new CompletableFuture<>();
		synchronized (this) {
			String id = this.farineWire ? Wire.newId() : Long.toString(this.next++);
			this.calls.put(id, result);
			AMQP.BasicProperties.Builder request = new AMQP.BasicProperties.Builder().correlationId(id)
				.replyTo(this.replyTo);
			if (this.farineWire) {
				request.contentType("application/json")
					.contentEncoding("utf-8")
					.deliveryMode(1)
					.messageId(Wire.newId())
					.expiration("30000")
					.headers(COMPACT_REPLY);
			}
			try {
				this.clientChannel.basicPublish(this.exchange, this.queue, this.farineWire, request.build(),
						("{\"args\":[" + i + ",1],\"kwargs\":{}}").getBytes(StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				this.calls.remove(id);
				result.completeExceptionally(ex);
			}
		}
		return result;
	}

	@Override
	public void close() throws Exception {
		this.clientConnection.close();
		this.serverConnection.close();
		if (this.farineWire) {
			// the queue is its caller's to delete
			Broker.deleteExchange(this.exchange);
		}
	}

}

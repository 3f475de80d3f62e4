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

/**
 * RPC with the raw client, the ceiling: a server consuming one queue and replying through the
 * default exchange, a client with a correlation map and either an exclusive reply queue or
 * RabbitMQ's direct reply-to. Bytes only, no JSON. Two connections, as two processes would have.
 */
final class RawRpc implements AutoCloseable {

	private static final String DIRECT_REPLY_TO = "amq.rabbitmq.reply-to";

	private final Connection serverConnection;

	private final Connection clientConnection;

	private final Channel clientChannel;

	private final String queue;

	private final String replyTo;

	private final Map<String, CompletableFuture<byte[]>> calls = new ConcurrentHashMap<>();

	private long next;

	RawRpc(String queue, boolean directReplyTo) throws Exception {
		this.queue = queue;
		this.serverConnection = Broker.factory().newConnection("bench-raw-rpc-server");
		this.clientConnection = Broker.factory().newConnection("bench-raw-rpc-client");
		Channel server = this.serverConnection.createChannel();
		server.queueDeclare(queue, false, false, true, null);
		server.basicQos(10);
		server.basicConsume(queue, false, new DefaultConsumer(server) {

			@Override
			public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
					throws IOException {
				AMQP.BasicProperties reply = new AMQP.BasicProperties.Builder()
					.correlationId(properties.getCorrelationId())
					.build();
				getChannel().basicPublish("", properties.getReplyTo(), reply, body);
				getChannel().basicAck(envelope.getDeliveryTag(), false);
			}

		});
		this.clientChannel = this.clientConnection.createChannel();
		this.replyTo = directReplyTo ? DIRECT_REPLY_TO : this.clientChannel.queueDeclare().getQueue();
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
			String id = Long.toString(this.next++);
			this.calls.put(id, result);
			try {
				this.clientChannel.basicPublish("", this.queue,
						new AMQP.BasicProperties.Builder().correlationId(id).replyTo(this.replyTo).build(),
						("{\"args\":[" + i + ",1]}").getBytes(StandardCharsets.UTF_8));
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
	}

}

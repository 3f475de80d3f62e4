package io.farine.test;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

import static org.awaitility.Awaitility.await;

/**
 * The local RabbitMQ seen through the raw Java client, so tests check what is really on the broker
 * and on the wire without going through farine.
 */
public final class Rabbit implements AutoCloseable {

	public static final String URI = "amqp://guest:guest@127.0.0.1:5672/";

	private final Connection connection;

	private final Channel channel;

	public Rabbit() throws IOException, TimeoutException {
		this(5672);
	}

	/** The RabbitMQ node listening on a given loopback port, such as a {@link RabbitCluster} node. */
	public Rabbit(int port) throws IOException, TimeoutException {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost("127.0.0.1");
		factory.setPort(port);
		this.connection = factory.newConnection("farine-tests");
		this.channel = this.connection.createChannel();
	}

	/** A name no other test uses: tests can run in any order, and again, on one broker. */
	public static String unique(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	public Channel channel() {
		return this.channel;
	}

	/** Waits up to 10 s for a message on a queue and takes it (acknowledged). */
	public GetResponse take(String queue) {
		GetResponse[] holder = new GetResponse[1];
		await().atMost(Duration.ofSeconds(10)).until(() -> (holder[0] = this.channel.basicGet(queue, true)) != null);
		return holder[0];
	}

	public boolean queueExists(String queue) {
		try (Channel probe = this.connection.createChannel()) {
			probe.queueDeclarePassive(queue);
			return true;
		}
		catch (IOException | TimeoutException ex) {
			return false;
		}
	}

	public void publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body)
			throws IOException {
		this.channel.basicPublish(exchange, routingKey, properties, body);
	}

	public void deleteQuietly(String... queues) {
		for (String queue : queues) {
			try (Channel probe = this.connection.createChannel()) {
				probe.queueDelete(queue);
			}
			catch (IOException | TimeoutException ex) {
				// already gone
			}
		}
	}

	public void deleteExchangeQuietly(String... exchanges) {
		for (String exchange : exchanges) {
			try (Channel probe = this.connection.createChannel()) {
				probe.exchangeDelete(exchange);
			}
			catch (IOException | TimeoutException ex) {
				// already gone
			}
		}
	}

	/**
	 * How many messages a queue holds, ready and unacknowledged alike: a message that goes back to
	 * its queue for ever never lets this reach zero.
	 */
	public static int messagesIn(String queue) throws IOException, InterruptedException {
		String prefix = queue + "\t";
		return rabbitmqctl("list_queues", "--no-table-headers", "name", "messages").lines()
			.filter((line) -> line.startsWith(prefix))
			.mapToInt((line) -> Integer.parseInt(line.substring(prefix.length()).trim()))
			.sum();
	}

	private static String rabbitmqctl(String... arguments) throws IOException, InterruptedException {
		java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("rabbitmqctl", "-q"));
		command.addAll(java.util.List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		if (process.waitFor() != 0) {
			throw new IOException(String.join(" ", command) + " failed: " + output);
		}
		return output;
	}

	/**
	 * How many channels the broker counts on the connections an application opened, found by the
	 * connection name farine gives them ({@code farine:<spring.application.name>}).
	 */
	public static int channelsOf(String applicationName) throws IOException, InterruptedException {
		String output = rabbitmqctl("list_connections", "--no-table-headers", "channels", "client_properties");
		String name = "\"farine:" + applicationName + "\"";
		return output.lines()
			.filter((line) -> line.contains(name))
			.mapToInt((line) -> Integer.parseInt(line.substring(0, line.indexOf('\t')).trim()))
			.sum();
	}

	@Override
	public void close() throws IOException {
		this.connection.close();
	}

}

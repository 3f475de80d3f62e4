package io.farine.chaos;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.impl.DefaultExceptionHandler;
import io.farine.test.RabbitCluster;
import org.jspecify.annotations.Nullable;

/**
 * The run's virtual host on the three-node test cluster ({@code farine-a/b/c}, which
 * {@code scripts/services.sh} starts): made afresh for each run, so nothing an earlier run or
 * another test left is counted, and kept afterwards for a look.
 */
final class ClusterVhost {

	static final String NAME = "farine-chaos";

	/** The queue the counter of {@code created} events reads: quorum, so it survives any one node. */
	static final String EVENTS_QUEUE = "chaos-created";

	private static final Duration LIMIT = Duration.ofSeconds(120);

	private ClusterVhost() {
	}

	/** Deletes the virtual host with all it holds, creates it again and lets {@code guest} use it. */
	static void recreate() throws IOException {
		if (onAnyNode("list_vhosts", "--no-table-headers").lines().anyMatch((line) -> line.strip().equals(NAME))) {
			onAnyNode("delete_vhost", NAME);
		}
		onAnyNode("add_vhost", NAME);
		onAnyNode("set_permissions", "-p", NAME, "guest", ".*", ".*", ".*");
	}

	/** The cluster's nodes, direct (not through a proxy), for the load generator and the counter. */
	static List<Address> nodes() {
		return RabbitCluster.NODES.stream().map((node) -> new Address("127.0.0.1", RabbitCluster.port(node))).toList();
	}

	static ConnectionFactory connectionFactory() {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setVirtualHost(NAME);
		factory.setUsername("guest");
		factory.setPassword("guest");
		factory.setConnectionTimeout(5000);
		factory.setHandshakeTimeout(10000);
		factory.setRequestedHeartbeat(10);
		// the generator and the counter reconnect by themselves, so that they know what was in flight
		factory.setAutomaticRecoveryEnabled(false);
		// and they notice a lost connection: the client's warning for each would only repeat the fault log
		factory.setExceptionHandler(new DefaultExceptionHandler() {

			@Override
			public void handleUnexpectedConnectionDriverException(Connection connection, Throwable exception) {
			}

		});
		return factory;
	}

	/**
	 * Declares, before the service starts, what the counter needs: the service's exchange (as
	 * farine declares it: direct, durable, no arguments) and the counter's quorum queue bound to it
	 * with {@code created}, so that no event finds no queue.
	 */
	static void declareEventsQueue() throws Exception {
		try (Connection connection = connectionFactory().newConnection(nodes(), "farine-chaos-setup");
				Channel channel = connection.createChannel()) {
			channel.exchangeDeclare("users", "direct", true);
			channel.queueDeclare(EVENTS_QUEUE, true, false, false, Map.of("x-queue-type", "quorum"));
			channel.queueBind(EVENTS_QUEUE, "users", "created");
		}
	}

	/** Messages (ready and unacknowledged) in each queue of the virtual host. */
	static Map<String, Long> queueDepths() throws IOException {
		String output = onAnyNode("list_queues", "-p", NAME, "--no-table-headers", "name", "messages");
		Map<String, Long> depths = new LinkedHashMap<>();
		for (String line : output.split("\n")) {
			String[] columns = line.strip().split("\\s+");
			if (columns.length == 2 && columns[1].matches("\\d+")) {
				depths.put(columns[0], Long.parseLong(columns[1]));
			}
		}
		return depths;
	}

	/**
	 * Runs {@code rabbitmqctl} against the first node that answers: any one speaks for the cluster,
	 * and one of them may be stopped by a fault.
	 */
	static String onAnyNode(String... arguments) throws IOException {
		@Nullable IOException failure = null;
		for (String node : RabbitCluster.NODES) {
			List<String> command = new ArrayList<>(List.of("rabbitmqctl", "-q", "-n", node + "@localhost"));
			command.addAll(List.of(arguments));
			try {
				return Command.run(LIMIT, command.toArray(String[]::new));
			}
			catch (IOException ex) {
				failure = ex;
			}
		}
		throw new IOException("No node of the farine-a/b/c RabbitMQ cluster answered (bash scripts/services.sh starts "
				+ "them): " + failure.getMessage(), failure);
	}

}

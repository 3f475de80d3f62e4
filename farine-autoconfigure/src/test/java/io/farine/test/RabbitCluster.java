package io.farine.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The three extra RabbitMQ nodes that {@code scripts/services.sh} starts and clusters for failover
 * tests: {@code farine-a}, {@code farine-b} and {@code farine-c} on 127.0.0.1:5681-5683. A test
 * stops a node's application with {@link #stop(String)} and must {@link #start(String)} it again.
 */
public final class RabbitCluster {

	public static final List<String> NODES = List.of("farine-a", "farine-b", "farine-c");

	private RabbitCluster() {
	}

	public static int port(String node) {
		return 5681 + NODES.indexOf(node);
	}

	/** The node listening on a port. */
	public static String node(int port) {
		return NODES.get(port - 5681);
	}

	/** An {@code amqp_uri} listing every node, as a kombu failover URI does. */
	public static String uri() {
		return String.join(";", NODES.stream().map((node) -> "amqp://guest:guest@127.0.0.1:" + port(node) + "/").toList());
	}

	/** Starts any node whose application a test left stopped, and waits until each runs. */
	public static void startAll() {
		NODES.forEach(RabbitCluster::start);
	}

	public static void start(String node) {
		rabbitmqctl(node, "start_app");
		rabbitmqctl(node, "await_startup", "--timeout", "120");
	}

	/** Stops the RabbitMQ application of a node, as a crash or a restart would: its clients are disconnected. */
	public static void stop(String node) {
		rabbitmqctl(node, "stop_app");
	}

	private static void rabbitmqctl(String node, String... arguments) {
		List<String> command = new ArrayList<>(List.of("rabbitmqctl", "-q", "-n", node + "@localhost"));
		command.addAll(List.of(arguments));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(180, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " failed (is the test cluster up? "
						+ "bash scripts/services.sh starts it): " + output);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run rabbitmqctl", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}

package io.farine.amqp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * One health indicator per broker farine connects to ({@code farineBrokers}), named after its
 * nodes: UP while its connection is open, OUT_OF_SERVICE while the broker blocks publishing (a
 * memory or disk alarm: publishes wait), DOWN when no connection can be opened. Brokers join as
 * services first use them. Brokers on the same nodes (services with different TLS settings, or
 * virtual hosts) are told apart by how they are trusted, then by a number. Passwords never
 * appear: the nodes are described without them.
 */
final class BrokerHealthContributor implements CompositeHealthContributor {

	/** The host and port of each node in a broker's description ({@code amqp://user:***@host:port/vhost}). */
	private static final Pattern NODE = Pattern.compile("@([^/;]+)");

	private final BrokerConnections brokers;

	/**
	 * Creates the contributor.
	 * @param brokers the application's broker connections
	 */
	BrokerHealthContributor(BrokerConnections brokers) {
		this.brokers = brokers;
	}

	@Override
	public @Nullable HealthContributor getContributor(String name) {
		Broker broker = named().get(name);
		return (broker != null) ? indicator(broker) : null;
	}

	@Override
	public Stream<HealthContributors.Entry> stream() {
		return named().entrySet()
			.stream()
			.map((named) -> new HealthContributors.Entry(named.getKey(), indicator(named.getValue())));
	}

	/**
	 * The brokers by health name: their nodes ({@code 127.0.0.1-5671}); when several share them,
	 * each also gets how it is trusted ({@code 127.0.0.1-5671-not-verified}, {@code -plain}) and,
	 * if that is not enough, a number. The order is the descriptions', so names do not change
	 * with the order in which services first used their brokers.
	 */
	private Map<String, Broker> named() {
		Map<String, List<Broker>> byNodes = this.brokers.brokers()
			.stream()
			.sorted(Comparator.comparing(Broker::description)
				.thenComparing(Broker::tls, Comparator.nullsFirst(Comparator.naturalOrder())))
			.collect(Collectors.groupingBy(BrokerHealthContributor::nodes, TreeMap::new, Collectors.toList()));
		Map<String, Broker> named = new LinkedHashMap<>();
		byNodes.forEach((nodes, brokers) -> {
			for (Broker broker : brokers) {
				String base = (brokers.size() == 1) ? nodes
						: nodes + "-" + segment((broker.tls() != null) ? broker.tls() : "plain");
				String name = base;
				for (int n = 2; named.putIfAbsent(name, broker) != null; n++) {
					name = base + "-" + n;
				}
			}
		});
		return named;
	}

	/** A health path segment: the nodes' hosts and ports ({@code 127.0.0.1-5672}), nodes joined by {@code _}. */
	private static String nodes(Broker broker) {
		List<String> nodes = new ArrayList<>();
		Matcher node = NODE.matcher(broker.description());
		while (node.find()) {
			nodes.add(segment(node.group(1)));
		}
		return String.join("_", nodes);
	}

	private static String segment(String text) {
		return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "-").replaceAll("^-|-$", "");
	}

	private static HealthIndicator indicator(Broker broker) {
		return () -> {
			Health.Builder health;
			try (Connection connection = broker.connectionFactory().createConnection()) {
				String blocked = broker.blocked();
				health = !connection.isOpen() ? Health.down()
						: (blocked != null) ? Health.outOfService().withDetail("blocked", blocked) : Health.up();
			}
			catch (RuntimeException ex) {
				health = Health.down(ex);
			}
			health.withDetail("nodes", broker.description());
			return ((broker.tls() != null) ? health.withDetail("tls", broker.tls()) : health).build();
		};
	}

}

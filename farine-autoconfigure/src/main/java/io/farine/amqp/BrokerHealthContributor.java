package io.farine.amqp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * services first use them. Passwords never appear: the nodes are described without them.
 */
public final class BrokerHealthContributor implements CompositeHealthContributor {

	/** The host and port of each node in a broker's description ({@code amqp://user:***@host:port/vhost}). */
	private static final Pattern NODE = Pattern.compile("@([^/;]+)");

	private final BrokerConnections brokers;

	/**
	 * Creates the contributor.
	 * @param brokers the application's broker connections
	 */
	public BrokerHealthContributor(BrokerConnections brokers) {
		this.brokers = brokers;
	}

	@Override
	public @Nullable HealthContributor getContributor(String name) {
		return this.brokers.brokers()
			.stream()
			.filter((broker) -> name(broker).equals(name))
			.findFirst()
			.map(BrokerHealthContributor::indicator)
			.orElse(null);
	}

	@Override
	public Stream<HealthContributors.Entry> stream() {
		return this.brokers.brokers()
			.stream()
			.map((broker) -> new HealthContributors.Entry(name(broker), indicator(broker)));
	}

	/** A health path segment: the nodes' hosts and ports ({@code 127.0.0.1-5672}), nodes joined by {@code _}. */
	static String name(Broker broker) {
		List<String> nodes = new ArrayList<>();
		Matcher node = NODE.matcher(broker.description());
		while (node.find()) {
			nodes.add(node.group(1).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "-").replaceAll("^-|-$", ""));
		}
		return String.join("_", nodes);
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
			return health.withDetail("nodes", broker.description()).build();
		};
	}

}

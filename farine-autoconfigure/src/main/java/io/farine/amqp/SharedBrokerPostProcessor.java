package io.farine.amqp;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.farine.config.AmqpAddress;

import org.springframework.boot.amqp.autoconfigure.RabbitProperties;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes farine and Spring Boot's own RabbitMQ support name one broker, below every other property
 * source so that anything set explicitly wins:
 * <ul>
 * <li>{@code [DEFAULT] amqp_uri} set: it also becomes {@code spring.rabbitmq.host}, {@code port}
 * (or {@code addresses} for several nodes), {@code username}, {@code password},
 * {@code virtual-host} (and {@code ssl.enabled}), so Boot's
 * {@code ConnectionFactory}, {@code RabbitTemplate}, {@code @RabbitListener}s and RabbitMQ health
 * indicator use farine's broker instead of {@code localhost};</li>
 * <li>no {@code amqp_uri} anywhere but {@code spring.rabbitmq.*} set (host and port, or
 * {@code addresses}): farine uses Boot's broker, every node of it.</li>
 * </ul>
 */
class SharedBrokerPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY_SOURCE_NAME = "farineSharedBroker";

	private static final List<String> BOOT_KEYS = List.of("spring.rabbitmq.host", "spring.rabbitmq.port",
			"spring.rabbitmq.addresses", "spring.rabbitmq.username", "spring.rabbitmq.virtual-host");

	@Override
	public int getOrder() {
		// after the INI file, before farine-dev, which may point amqp_uri elsewhere
		return Ordered.LOWEST_PRECEDENCE - 40;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String amqpUri = Binder.get(environment).bind("farine.defaults.amqp-uri", String.class).orElse(null);
		Map<String, Object> properties = new LinkedHashMap<>();
		if (amqpUri != null && !amqpUri.isBlank()) {
			List<AmqpAddress> nodes;
			try {
				nodes = AmqpAddress.parseAll(amqpUri);
			}
			catch (IllegalArgumentException ex) {
				// reported, without the URI, when the service's settings are resolved
				return;
			}
			AmqpAddress address = nodes.get(0);
			if (nodes.size() == 1) {
				properties.put("spring.rabbitmq.host", address.host());
				properties.put("spring.rabbitmq.port", address.port());
			}
			else {
				properties.put("spring.rabbitmq.addresses",
						String.join(",", nodes.stream().map(AmqpAddress::hostAndPort).toList()));
			}
			properties.put("spring.rabbitmq.username", address.username());
			properties.put("spring.rabbitmq.password", address.password());
			properties.put("spring.rabbitmq.virtual-host", address.virtualHost());
			properties.put("spring.rabbitmq.ssl.enabled", address.tls());
		}
		else if (BOOT_KEYS.stream().anyMatch(environment::containsProperty)) {
			properties.put("farine.defaults.amqp_uri", fromBoot(environment));
		}
		if (!properties.isEmpty()) {
			environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
		}
	}

	/**
	 * Boot's broker as an {@code amqp_uri}, read by Boot's own {@link RabbitProperties} (so
	 * {@code addresses} entries with credentials or a virtual host mean what they mean to Boot):
	 * one URI per address, separated by {@code ;}.
	 */
	private static String fromBoot(ConfigurableEnvironment environment) {
		RabbitProperties rabbit = Binder.get(environment)
			.bind("spring.rabbitmq", RabbitProperties.class)
			.orElseGet(RabbitProperties::new);
		boolean tls = rabbit.getSsl().determineEnabled();
		String user = (rabbit.determineUsername() != null) ? rabbit.determineUsername() : "guest";
		String password = (rabbit.determinePassword() != null) ? rabbit.determinePassword() : "guest";
		String virtualHost = (rabbit.determineVirtualHost() != null) ? rabbit.determineVirtualHost() : "/";
		List<String> nodes = new ArrayList<>();
		for (String address : rabbit.determineAddresses()) {
			int colon = address.lastIndexOf(':');
			String host = address.substring(0, colon);
			String hostAndPort = ((host.indexOf(':') >= 0 && !host.startsWith("[")) ? "[" + host + "]" : host)
					+ address.substring(colon);
			nodes.add(uri(tls, user, password, hostAndPort, virtualHost));
		}
		return String.join(";", nodes);
	}

	private static String uri(boolean tls, String user, String password, String hostAndPort, String virtualHost) {
		return (tls ? "amqps" : "amqp") + "://" + encode(user) + ":" + encode(password) + "@" + hostAndPort + "/"
				+ encode(virtualHost);
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
	}

}

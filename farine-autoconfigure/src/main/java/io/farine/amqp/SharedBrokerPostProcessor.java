package io.farine.amqp;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.farine.config.AmqpAddress;

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

	/** Boot's broker as an {@code amqp_uri}: one URI per entry of {@code spring.rabbitmq.addresses}. */
	private static String fromBoot(ConfigurableEnvironment environment) {
		boolean tls = environment.getProperty("spring.rabbitmq.ssl.enabled", Boolean.class, false);
		String user = environment.getProperty("spring.rabbitmq.username", "guest");
		String password = environment.getProperty("spring.rabbitmq.password", "guest");
		String virtualHost = environment.getProperty("spring.rabbitmq.virtual-host", "/");
		List<String> nodes = new ArrayList<>();
		String addresses = environment.getProperty("spring.rabbitmq.addresses", "");
		if (!addresses.isBlank()) {
			for (String entry : addresses.split(",")) {
				String node = entry.strip();
				boolean secure = tls;
				int scheme = node.indexOf("://");
				if (scheme >= 0) {
					secure = node.substring(0, scheme).equalsIgnoreCase("amqps");
					node = node.substring(scheme + 3);
				}
				// Boot's address form: [user:password@]host[:port][/vhost]
				int at = node.lastIndexOf('@');
				String nodeUser = user;
				String nodePassword = password;
				if (at >= 0) {
					String userInfo = node.substring(0, at);
					int colon = userInfo.indexOf(':');
					nodeUser = (colon < 0) ? userInfo : userInfo.substring(0, colon);
					nodePassword = (colon < 0) ? "" : userInfo.substring(colon + 1);
					node = node.substring(at + 1);
				}
				String nodeVirtualHost = virtualHost;
				int slash = node.indexOf('/');
				if (slash >= 0) {
					nodeVirtualHost = node.substring(slash + 1).isEmpty() ? "/" : node.substring(slash + 1);
					node = node.substring(0, slash);
				}
				boolean hasPort = node.startsWith("[") ? node.contains("]:") : node.contains(":");
				nodes.add(uri(secure, nodeUser, nodePassword, hasPort ? node : node + ":" + (secure ? 5671 : 5672),
						nodeVirtualHost));
			}
		}
		else {
			String host = environment.getProperty("spring.rabbitmq.host", "localhost");
			int port = environment.getProperty("spring.rabbitmq.port", Integer.class, tls ? 5671 : 5672);
			nodes.add(uri(tls, user, password, ((host.indexOf(':') >= 0) ? "[" + host + "]" : host) + ":" + port,
					virtualHost));
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

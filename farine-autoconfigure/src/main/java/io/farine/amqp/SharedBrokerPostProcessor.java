package io.farine.amqp;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

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
 * <li>{@code [DEFAULT] amqp_uri} set: it also becomes {@code spring.rabbitmq.host}, {@code port},
 * {@code username}, {@code password}, {@code virtual-host} (and {@code ssl.enabled}), so Boot's
 * {@code ConnectionFactory}, {@code RabbitTemplate}, {@code @RabbitListener}s and RabbitMQ health
 * indicator use farine's broker instead of {@code localhost};</li>
 * <li>no {@code amqp_uri} anywhere but {@code spring.rabbitmq.*} set: farine uses Boot's broker.</li>
 * </ul>
 */
class SharedBrokerPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY_SOURCE_NAME = "farineSharedBroker";

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
			AmqpAddress address;
			try {
				address = AmqpAddress.of(new URI(amqpUri.strip()));
			}
			catch (Exception ex) {
				// reported, without the URI, when the service's settings are resolved
				return;
			}
			properties.put("spring.rabbitmq.host", address.host());
			properties.put("spring.rabbitmq.port", address.port());
			properties.put("spring.rabbitmq.username", address.username());
			properties.put("spring.rabbitmq.password", address.password());
			properties.put("spring.rabbitmq.virtual-host", address.virtualHost());
			properties.put("spring.rabbitmq.ssl.enabled", address.tls());
		}
		else if (environment.containsProperty("spring.rabbitmq.host") || environment.containsProperty("spring.rabbitmq.port")
				|| environment.containsProperty("spring.rabbitmq.username")
				|| environment.containsProperty("spring.rabbitmq.virtual-host")) {
			boolean tls = environment.getProperty("spring.rabbitmq.ssl.enabled", Boolean.class, false);
			String host = environment.getProperty("spring.rabbitmq.host", "localhost");
			int port = environment.getProperty("spring.rabbitmq.port", Integer.class, tls ? 5671 : 5672);
			String user = environment.getProperty("spring.rabbitmq.username", "guest");
			String password = environment.getProperty("spring.rabbitmq.password", "guest");
			String virtualHost = environment.getProperty("spring.rabbitmq.virtual-host", "/");
			properties.put("farine.defaults.amqp_uri", (tls ? "amqps" : "amqp") + "://" + encode(user) + ":"
					+ encode(password) + "@" + ((host.indexOf(':') >= 0) ? "[" + host + "]" : host) + ":" + port + "/"
					+ encode(virtualHost));
		}
		if (!properties.isEmpty()) {
			environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
		}
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
	}

}

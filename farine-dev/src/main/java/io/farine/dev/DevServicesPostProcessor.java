package io.farine.dev;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

import io.farine.config.AmqpAddress;
import io.farine.config.ServiceSettings;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts the development stand-ins the configuration calls for, before any bean exists, and
 * points the application at them with properties above every other source: an embedded AMQP
 * broker for each {@code amqp_uri} on a loopback address where nothing listens, an embedded
 * PostgreSQL for such a {@code spring.datasource.url} (or {@code db_host}), and a local etcd (or,
 * without the binary, an in-process registry) for such {@code etcd_endpoints}. A server on any
 * other address is never replaced. What started stops when the application context closes.
 */
final class DevServicesPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** Name of the property source pointing the application at the stand-ins. */
	static final String PROPERTY_SOURCE_NAME = "farineDev";

	/** {@code in-process} asks for the in-process registry even with an etcd binary on the PATH. */
	static final String REGISTRY_PROPERTY = "farine.dev.registry";

	/**
	 * Set (by this class only) when the in-process registry stands in for etcd: a user's
	 * {@value #REGISTRY_PROPERTY} alone must not start it where etcd answers or farine-dev is off.
	 */
	static final String IN_PROCESS_REGISTRY_PROPERTY = "farine.dev.in-process-registry";

	/** The property source in which farine derives {@code spring.rabbitmq.*} from {@code amqp_uri}. */
	private static final String SHARED_BROKER_SOURCE = "farineSharedBroker";

	private static final String HOW_TO_LEAVE = "set farine.dev.enabled=false (or remove farine-dev) to use real servers only";

	private final Log logger;

	/** {@code in-process} when the user asks for the in-process registry even with etcd installed. */
	private @Nullable String registryChoice;

	DevServicesPostProcessor(DeferredLogFactory logs) {
		this.logger = logs.getLog(DevServicesPostProcessor.class);
	}

	@Override
	public int getOrder() {
		// after the INI file and the database keys, whose results it reads
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String off = DevServicesGuard.offBecause(environment, application);
		if (off != null) {
			this.logger.info("farine-dev: off, no server is replaced: " + off + ".");
			return;
		}
		this.registryChoice = environment.getProperty(REGISTRY_PROPERTY);
		Binder binder = Binder.get(environment);
		Keys defaults = binder.bind("farine.defaults", Bindable.of(Keys.class)).orElse(Keys.NONE);
		Map<String, Keys> sections = binder
			.bind("farine.services", Bindable.<Map<String, Keys>>of(
					ResolvableType.forClassWithGenerics(Map.class, String.class, Keys.class)))
			.orElse(Map.of());
		Map<String, Object> overrides = new LinkedHashMap<>();
		List<AutoCloseable> started = new ArrayList<>();
		try {
			broker(environment, defaults, sections, overrides, started);
			database(environment, overrides, started);
			registry(defaults, sections, overrides, started);
		}
		catch (RuntimeException ex) {
			close(started);
			throw ex;
		}
		if (!overrides.isEmpty()) {
			environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, overrides));
		}
		if (started.stream().anyMatch(EmbeddedBroker.class::isInstance)) {
			// Broker-J logs every queue and binding it creates; below every source, so a user's level wins
			environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME + "Logging",
					Map.of("logging.level.qpid", "warn", "logging.level.org.apache.qpid", "warn")));
		}
		if (!started.isEmpty()) {
			Stopper stopper = new Stopper(started);
			application.addListeners(stopper);
			// destroyed last of all beans (registered first): farine's connections close before the broker
			application.addInitializers((context) -> ((DefaultSingletonBeanRegistry) context.getBeanFactory())
				.registerDisposableBean("farineDevServices", stopper));
		}
	}

	private void broker(ConfigurableEnvironment environment, Keys defaults, Map<String, Keys> sections,
			Map<String, Object> overrides, List<AutoCloseable> started) {
		String defaultUri = (defaults.amqpUri() != null) ? defaults.amqpUri() : ServiceSettings.DEFAULT_AMQP_URI;
		Set<String> missing = new LinkedHashSet<>();
		if (absent(defaultUri)) {
			missing.add(defaultUri);
		}
		sections.forEach((section, keys) -> {
			if (keys.amqpUri() != null && absent(keys.amqpUri())) {
				missing.add(keys.amqpUri());
			}
		});
		if (missing.isEmpty()) {
			return;
		}
		long start = System.nanoTime();
		EmbeddedBroker broker = EmbeddedBroker.start();
		started.add(broker);
		String uri = broker.uri();
		// Broker-J reads a message's expiration as a point in time, not as RabbitMQ's TTL
		if (missing.contains(defaultUri)) {
			overrides.put("farine.defaults.amqp_uri", uri);
			overrides.put("farine.defaults.amqp_expiration", "absolute");
			// Spring Boot's own RabbitMQ settings, where farine derived them from amqp_uri, follow
			if (environment.getPropertySources().contains(SHARED_BROKER_SOURCE)) {
				environment.getPropertySources().replace(SHARED_BROKER_SOURCE, new MapPropertySource(SHARED_BROKER_SOURCE,
						Map.of("spring.rabbitmq.host", "127.0.0.1", "spring.rabbitmq.port", broker.port(),
								"spring.rabbitmq.username", "guest", "spring.rabbitmq.password", "guest",
								"spring.rabbitmq.virtual-host", "/", "spring.rabbitmq.ssl.enabled", false)));
			}
		}
		sections.forEach((section, keys) -> {
			if (keys.amqpUri() != null && missing.contains(keys.amqpUri())) {
				overrides.put("farine.services." + section + ".amqp_uri", uri);
				overrides.put("farine.services." + section + ".amqp_expiration", "absolute");
			}
		});
		this.logger.warn("farine-dev: nothing accepts connections at " + String.join(", ", missing.stream()
			.map(DevServicesPostProcessor::masked)
			.toList()) + "; started an embedded AMQP broker (Apache Qpid Broker-J, in memory: messages vanish on exit) "
				+ "at " + masked(uri) + " in " + millis(start) + " ms. To use RabbitMQ, start it there, or "
				+ HOW_TO_LEAVE + ".");
	}

	private void database(ConfigurableEnvironment environment, Map<String, Object> overrides,
			List<AutoCloseable> started) {
		String url = environment.getProperty("spring.datasource.url");
		if (url == null || !url.startsWith("jdbc:postgresql://")) {
			return;
		}
		URI parsed = URI.create(url.substring("jdbc:".length()));
		String host = parsed.getHost();
		int port = (parsed.getPort() >= 0) ? parsed.getPort() : 5432;
		String database = (parsed.getPath() != null && parsed.getPath().length() > 1) ? parsed.getPath().substring(1)
				: "postgres";
		if (host == null || !Loopback.is(host) || Loopback.accepts(host, port)) {
			return;
		}
		long start = System.nanoTime();
		EmbeddedDatabase embedded = EmbeddedDatabase.start(database);
		started.add(embedded);
		overrides.put("spring.datasource.url", embedded.url(database));
		overrides.put("spring.datasource.username", "postgres");
		overrides.put("spring.datasource.password", "");
		this.logger.warn("farine-dev: nothing accepts connections at " + host + ":" + port
				+ "; started an embedded PostgreSQL 15 (temporary data: it vanishes on exit) at " + embedded.url(database)
				+ " in " + millis(start) + " ms. To use your PostgreSQL, start it there, or " + HOW_TO_LEAVE + ".");
	}

	private void registry(Keys defaults, Map<String, Keys> sections, Map<String, Object> overrides,
			List<AutoCloseable> started) {
		Set<String> missing = new LinkedHashSet<>();
		if (defaults.etcdEndpoints() != null && absentEtcd(defaults.etcdEndpoints())) {
			missing.add(defaults.etcdEndpoints());
		}
		sections.forEach((section, keys) -> {
			if (keys.etcdEndpoints() != null && absentEtcd(keys.etcdEndpoints())) {
				missing.add(keys.etcdEndpoints());
			}
		});
		if (missing.isEmpty()) {
			return;
		}
		boolean asked = "in-process".equals(this.registryChoice);
		Path binary = asked ? null : LocalEtcd.binary();
		if (binary == null) {
			overrides.put(IN_PROCESS_REGISTRY_PROPERTY, true);
			this.logger.warn("farine-dev: nothing accepts connections at etcd " + String.join(", ", missing)
					+ (asked ? " and " + REGISTRY_PROPERTY + "=in-process" : " and no etcd binary is on the PATH")
					+ "; an in-process registry stands in (this process's services only). To use etcd, start it "
					+ "there, or " + HOW_TO_LEAVE + ".");
			return;
		}
		long start = System.nanoTime();
		LocalEtcd etcd = LocalEtcd.start(binary);
		started.add(etcd);
		if (defaults.etcdEndpoints() != null && missing.contains(defaults.etcdEndpoints())) {
			overrides.put("farine.defaults.etcd_endpoints", etcd.endpoint());
		}
		sections.forEach((section, keys) -> {
			if (keys.etcdEndpoints() != null && missing.contains(keys.etcdEndpoints())) {
				overrides.put("farine.services." + section + ".etcd_endpoints", etcd.endpoint());
			}
		});
		this.logger.warn("farine-dev: nothing accepts connections at etcd " + String.join(", ", missing)
				+ "; started " + binary + " at " + etcd.endpoint() + " (temporary data) in " + millis(start)
				+ " ms. To use your etcd, start it there, or " + HOW_TO_LEAVE + ".");
	}

	/** An AMQP URI whose every node is on a loopback address where nothing listens, read as farine reads it. */
	private static boolean absent(String amqpUri) {
		List<AmqpAddress> nodes;
		try {
			nodes = AmqpAddress.parseAll(amqpUri);
		}
		catch (IllegalArgumentException ex) {
			// farine reports it, naming the key
			return false;
		}
		return nodes.stream()
			.allMatch((node) -> Loopback.is(node.host()) && !Loopback.accepts(node.host(), node.port()));
	}

	/** Every endpoint is on a loopback address and none answers. */
	private static boolean absentEtcd(String endpoints) {
		List<URI> uris = Arrays.stream(endpoints.split(","))
			.map(String::strip)
			.filter((e) -> !e.isEmpty())
			.map(URI::create)
			.toList();
		return !uris.isEmpty() && uris.stream()
			.allMatch((uri) -> uri.getHost() != null && Loopback.is(uri.getHost())
					&& !Loopback.accepts(uri.getHost(), (uri.getPort() >= 0) ? uri.getPort() : 2379));
	}

	private static String masked(String amqpUri) {
		try {
			return AmqpAddress.describe(AmqpAddress.parseAll(amqpUri));
		}
		catch (IllegalArgumentException ex) {
			return "an amqp_uri";
		}
	}

	private static long millis(long startNanos) {
		return (System.nanoTime() - startNanos) / 1_000_000;
	}

	private static void close(List<AutoCloseable> started) {
		for (AutoCloseable closeable : started) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				// stopping what was started for development; nothing else depends on it
			}
		}
	}

	/** The keys this reads, as written. */
	record Keys(@Nullable String amqpUri, @Nullable String etcdEndpoints) {

		static final Keys NONE = new Keys(null, null);

	}

	/**
	 * Stops the stand-ins after every bean of the context is destroyed, or when start-up fails
	 * before there is a context.
	 */
	private static final class Stopper implements ApplicationListener<ApplicationFailedEvent>, DisposableBean {

		private final List<AutoCloseable> started;

		private boolean stopped;

		Stopper(List<AutoCloseable> started) {
			this.started = started;
		}

		@Override
		public void onApplicationEvent(ApplicationFailedEvent event) {
			destroy();
		}

		@Override
		public synchronized void destroy() {
			if (!this.stopped) {
				this.stopped = true;
				close(this.started);
			}
		}

	}

}

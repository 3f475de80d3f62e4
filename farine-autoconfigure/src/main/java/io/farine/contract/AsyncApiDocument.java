package io.farine.contract;

import java.lang.reflect.AnnotatedElement;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.farine.config.AmqpAddress;
import io.farine.config.ExchangeType;
import io.farine.config.FarineProperties;
import io.farine.config.ServiceSettings;
import io.farine.service.HandlerMethod;
import io.farine.service.ServiceEndpoints;
import io.farine.service.SseEndpoint;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;

import org.springframework.context.annotation.Description;
import org.springframework.core.annotation.AnnotatedElementUtils;

import static io.farine.contract.JsonSchemas.map;

/**
 * Builds one AsyncAPI 3.0 document from the endpoints of the services this process runs. Holds
 * the document's parts while {@link Channels} and {@link RequestReplies} add the endpoints, and
 * gives them the few shapes every entry takes: a server per broker and per SSE host, a channel
 * per exchange and routing key, a message in {@code components/messages}, an operation.
 */
final class AsyncApiDocument {

	/** The AMQP bindings' version (bindings for RabbitMQ). */
	static final String AMQP_BINDING = "0.3.0";

	/** The cluster's exchanges, as the cluster runtime (package-private) declares them. */
	static final String EVENTS = "farine.events";

	static final String QUERIES = "farine.queries";

	static final String ANSWERS = "farine.answers";

	private final ServiceEndpoints endpoints;

	private final FarineProperties properties;

	private final ObjectMapper mapper;

	private final JsonSchemas schemas;

	private final Map<String, Object> servers = new TreeMap<>();

	private final Map<String, Map<String, Object>> channels = new TreeMap<>();

	private final Map<String, Object> operations = new TreeMap<>();

	private final Map<String, Object> messages = new TreeMap<>();

	AsyncApiDocument(ServiceEndpoints endpoints, FarineProperties properties, ObjectMapper mapper) {
		this.endpoints = endpoints;
		this.properties = properties;
		this.mapper = mapper;
		this.schemas = new JsonSchemas(mapper);
	}

	/**
	 * The document.
	 * @param title the application's name
	 * @param version the application's version
	 * @return the document as JSON-ready maps and lists, in a stable order
	 */
	Map<String, Object> build(String title, String version) {
		List<String> services = this.endpoints.runningServices().stream().toList();
		new Channels(this).add(this.endpoints, services);
		new RequestReplies(this, this.mapper).add(this.endpoints, services);
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("asyncapi", "3.0.0");
		document.put("info", map("title", title, "version", version, "description",
				"The farine services " + String.join(", ", services) + ": what they consume, publish, answer and "
						+ "read. Bodies are JSON (content_type application/json, content_encoding utf-8); RPC "
						+ "requests and replies follow farine's wire protocol, which Python farine (kombu) speaks."));
		document.put("defaultContentType", "application/json");
		document.put("servers", this.servers);
		document.put("channels", this.channels);
		document.put("operations", this.operations);
		document.put("components", map("schemas", this.schemas.components(), "messages", this.messages));
		return document;
	}

	ServiceSettings settings(String service) {
		return this.properties.service(service);
	}

	/**
	 * The server of a service's broker, added once: {@code host:port} of its first node, the
	 * others and the virtual host in its description; never the user name or password.
	 */
	String broker(String amqpUri) {
		List<AmqpAddress> nodes = AmqpAddress.parseAll(amqpUri);
		AmqpAddress first = nodes.get(0);
		String id = id("broker-" + first.host() + "-" + first.port());
		List<String> all = nodes.stream().map(AmqpAddress::hostAndPort).toList();
		this.servers.putIfAbsent(id, map("host", first.hostAndPort(), "protocol", first.tls() ? "amqps" : "amqp",
				"protocolVersion", "0-9-1", "title", "RabbitMQ", "description", "The broker, virtual host '"
						+ first.virtualHost() + "'" + ((all.size() > 1) ? ", nodes " + String.join(", ", all) : "")
						+ "."));
		return id;
	}

	/** The server of an SSE stream's host, added once; {@code null} for a URL that is not absolute HTTP. */
	@Nullable String sseServer(URI url) {
		String scheme = (url.getScheme() != null) ? url.getScheme().toLowerCase(Locale.ROOT) : "";
		if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
			return null;
		}
		int port = (url.getPort() > 0) ? url.getPort() : scheme.equals("https") ? 443 : 80;
		String id = id("sse-" + url.getHost() + "-" + port);
		this.servers.putIfAbsent(id, map("host", url.getHost() + ":" + port, "protocol", scheme, "title",
				"Server-Sent Events", "description", "Streams of Server-Sent Events the services read (GET, "
						+ "text/event-stream, reconnecting with Last-Event-ID)."));
		return id;
	}

	/**
	 * The channel of an id, made by {@code create} the first time.
	 * @return its {@code messages} map, to add to
	 */
	Map<String, Object> channel(String id, String server, Supplier<Map<String, Object>> create) {
		Map<String, Object> channel = this.channels.computeIfAbsent(id, (key) -> {
			Map<String, Object> made = create.get();
			made.put("servers", List.of(map("$ref", "#/servers/" + server)));
			made.put("messages", new TreeMap<String, Object>());
			return made;
		});
		@SuppressWarnings("unchecked")
		Map<String, Object> messages = (Map<String, Object>) channel.get("messages");
		return messages;
	}

	/** A channel for an exchange and a routing key (the address); {@code null} address for a reply queue. */
	static Map<String, Object> amqpChannel(@Nullable String address, String exchange, ExchangeType type,
			ServiceSettings settings, String description) {
		Map<String, Object> channel = new LinkedHashMap<>();
		channel.put("address", address);
		channel.put("description", description);
		String amqpType = (type == ExchangeType.BROADCAST) ? "fanout" : type.name().toLowerCase(Locale.ROOT);
		channel.put("bindings", map("amqp", map("is", "routingKey", "exchange",
				map("name", exchange, "type", amqpType, "durable", settings.durable(), "autoDelete",
						settings.autoDelete(), "vhost", AmqpAddress.parseAll(settings.amqpUri()).get(0).virtualHost()),
				"bindingVersion", AMQP_BINDING)));
		return channel;
	}

	/**
	 * Adds a message to {@code components/messages} and to a channel's messages.
	 * @return the reference an operation takes
	 */
	Map<String, Object> message(String channel, Map<String, Object> channelMessages, String id,
			Map<String, Object> message) {
		String unique = unique(id, this.messages);
		message.putIfAbsent("contentType", "application/json");
		message.put("bindings", map("amqp", map("contentEncoding", "utf-8", "bindingVersion", AMQP_BINDING)));
		this.messages.put(unique, message);
		channelMessages.put(unique, map("$ref", "#/components/messages/" + unique));
		return map("$ref", "#/channels/" + channel + "/messages/" + unique);
	}

	/** A message shared by every channel that has it (RPC's end and error frames): added once. */
	Map<String, Object> sharedMessage(String channel, Map<String, Object> channelMessages, String id,
			Map<String, Object> message) {
		if (!this.messages.containsKey(id)) {
			message.putIfAbsent("contentType", "application/json");
			this.messages.put(id, message);
		}
		channelMessages.put(id, map("$ref", "#/components/messages/" + id));
		return map("$ref", "#/channels/" + channel + "/messages/" + id);
	}

	/** Adds an operation; the id is made unique. */
	void operation(String id, String action, String channel, List<Map<String, Object>> messages, String service,
			@Nullable String description, Map<String, Object> extra) {
		Map<String, Object> operation = new LinkedHashMap<>();
		operation.put("action", action);
		operation.put("channel", map("$ref", "#/channels/" + channel));
		operation.put("messages", messages);
		operation.put("tags", List.of(map("name", service)));
		if (description != null) {
			operation.put("description", description);
		}
		operation.putAll(extra);
		this.operations.put(unique(id, this.operations), operation);
	}

	/** A payload: the schema of a parameter's or a result's declared type. */
	Map<String, Object> payload(JavaType type) {
		return this.schemas.schema(type);
	}

	/** What the user wrote with Spring's {@code @Description} on a handler method, or {@code null}. */
	static @Nullable String description(AnnotatedElement element) {
		Description description = AnnotatedElementUtils.findMergedAnnotation(element, Description.class);
		return (description != null && !description.value().isBlank()) ? description.value() : null;
	}

	static String summary(HandlerMethod handler, String what) {
		return what + " (" + handler.method().getDeclaringClass().getName() + "." + handler.method().getName() + ")";
	}

	/** An id the document's maps take as a key: letters, digits, {@code .}, {@code -} and {@code _}. */
	static String id(String text) {
		return text.replaceAll("[^A-Za-z0-9._-]", "_");
	}

	private static String unique(String id, Map<String, ?> taken) {
		String base = id(id);
		String unique = base;
		for (int i = 2; taken.containsKey(unique); i++) {
			unique = base + "_" + i;
		}
		return unique;
	}

	/** The SSE streams: a URL with its query left out (it may hold a token). */
	static @Nullable URI sseUrl(SseEndpoint listener, ServiceSettings settings) {
		String url = listener.endpoint().isEmpty() ? settings.endpoint() : listener.endpoint();
		if (url == null || url.isBlank()) {
			return null;
		}
		try {
			URI uri = URI.create(url.trim());
			return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
		}
		catch (IllegalArgumentException | URISyntaxException ex) {
			return null;
		}
	}

}

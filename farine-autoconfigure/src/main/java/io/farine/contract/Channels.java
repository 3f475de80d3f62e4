package io.farine.contract;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.farine.cluster.ClusterEvent;
import io.farine.config.ExchangeType;
import io.farine.config.ServiceSettings;
import io.farine.service.ConsumeEndpoint;
import io.farine.service.EventEndpoint;
import io.farine.service.PublishEndpoint;
import io.farine.service.ServiceEndpoints;
import io.farine.service.SseEndpoint;
import tools.jackson.databind.JavaType;

import static io.farine.contract.AsyncApiDocument.AMQP_BINDING;
import static io.farine.contract.AsyncApiDocument.description;
import static io.farine.contract.AsyncApiDocument.summary;
import static io.farine.contract.JsonSchemas.map;

/**
 * The one-way endpoints: {@code @Consume} ({@code receive}), {@code @Publish} ({@code send}) on
 * the channel of their exchange and routing key, {@code @SseListener} ({@code receive} from an
 * HTTP stream) and {@code @OnEvent} ({@code receive} from the fanout exchange
 * {@code farine.events}).
 */
final class Channels {

	private final AsyncApiDocument document;

	Channels(AsyncApiDocument document) {
		this.document = document;
	}

	void add(ServiceEndpoints endpoints, List<String> services) {
		for (ConsumeEndpoint consumer : endpoints.consumers()) {
			if (services.contains(consumer.service())) {
				consume(consumer);
			}
		}
		for (PublishEndpoint publisher : endpoints.publishers()) {
			if (services.contains(publisher.service())) {
				publish(publisher);
			}
		}
		for (SseEndpoint listener : endpoints.sseListeners()) {
			if (services.contains(listener.service())) {
				sse(listener);
			}
		}
		for (EventEndpoint event : endpoints.events()) {
			if (services.contains(event.service())) {
				event(event);
			}
		}
	}

	private Map<String, Object> exchangeChannel(String exchange, String routingKey,
			ServiceSettings settings) {
		String id = AsyncApiDocument.id(exchange + "." + routingKey);
		return this.document.channel(id, this.document.broker(settings.amqpUri()),
				() -> AsyncApiDocument.amqpChannel(routingKey, exchange, settings.type(), settings, "Exchange '"
						+ exchange + "' (" + settings.type().name().toLowerCase(Locale.ROOT)
						+ "), routing key '" + routingKey + "'."));
	}

	private void consume(ConsumeEndpoint consumer) {
		ServiceSettings settings = this.document.settings(consumer.service());
		String channel = AsyncApiDocument.id(consumer.exchange() + "." + consumer.routingKey());
		Map<String, Object> messages = exchangeChannel(consumer.exchange(), consumer.routingKey(),
				settings);
		Map<String, Object> payload;
		if (consumer.bodyIndex() < 0) {
			payload = map("description", "Any body: the handler does not read it.");
		}
		else if (consumer.bodyType() == byte[].class) {
			payload = map("description", "Any body: the handler takes its bytes as they are.");
		}
		else {
			payload = this.document.payload(consumer.handler().parameterTypes()[consumer.bodyIndex()]);
		}
		String queue = (settings.type() == ExchangeType.BROADCAST) ? "an exclusive bcast.<id> queue per instance"
				: "queue '" + consumer.queue() + "'";
		Map<String, Object> message = this.document.message(channel, messages,
				consumer.service() + "." + consumer.handler().method().getName(),
				map("name", consumer.handler().description(), "payload", payload));
		this.document.operation(consumer.service() + "." + consumer.handler().method().getName(), "receive", channel,
				List.of(message), consumer.service(), description(consumer.handler().method()),
				map("summary", summary(consumer.handler(), "Consumes from " + queue + ", bound to exchange '"
						+ consumer.exchange() + "' with key '" + consumer.routingKey() + "'; acknowledged on return, "
						+ "retried then dead-lettered to '" + consumer.queue() + ".dlq' on failure"),
						"bindings", map("amqp", map("ack", true, "bindingVersion", AMQP_BINDING))));
	}

	private void publish(PublishEndpoint publisher) {
		ServiceSettings settings = this.document.settings(publisher.service());
		String channel = AsyncApiDocument.id(publisher.exchange() + "." + publisher.routingKey());
		Map<String, Object> messages = exchangeChannel(publisher.exchange(),
				publisher.routingKey(), settings);
		String field = publisher.field().getDeclaringClass().getSimpleName() + "." + publisher.field().getName();
		Map<String, Object> message = this.document.message(channel, messages,
				publisher.service() + "." + publisher.field().getName(), map("name", field, "payload",
						map("description", "Any JSON value: a Publisher is not typed; see the sender's code.")));
		this.document.operation(publisher.service() + "." + publisher.field().getName(), "send", channel,
				List.of(message), publisher.service(), null,
				map("summary", "Publishes with " + field + " to exchange '" + publisher.exchange() + "', key '"
						+ publisher.routingKey() + "' (the default key; a publish may name another), confirmed"
						+ (publisher.mandatory() ? " and mandatory" : ""),
						"bindings", map("amqp", map("deliveryMode", settings.deliveryMode(), "mandatory",
								publisher.mandatory(), "bindingVersion", AMQP_BINDING))));
	}

	private void sse(SseEndpoint listener) {
		URI url = AsyncApiDocument.sseUrl(listener, this.document.settings(listener.service()));
		String server = (url != null) ? this.document.sseServer(url) : null;
		if (url == null || server == null) {
			return; // no absolute http(s) URL: the listener cannot start either
		}
		String path = (url.getPath() == null || url.getPath().isEmpty()) ? "/" : url.getPath();
		String channel = AsyncApiDocument.id(server + path.replace('/', '.'));
		Map<String, Object> messages = this.document.channel(channel, server,
				() -> map("address", path, "description", "The Server-Sent Events stream " + url + "."));
		JavaType type = listener.handler().parameterTypes()[0];
		if (type.getRawClass().getName().equals("org.springframework.http.codec.ServerSentEvent")) {
			type = type.containedTypeOrUnknown(0);
		}
		String event = listener.event().isEmpty() ? "any event" : "event '" + listener.event() + "'";
		Map<String, Object> message = this.document.message(channel, messages,
				listener.service() + "." + listener.handler().method().getName(),
				map("name", listener.event().isEmpty() ? "message" : listener.event(), "title",
						listener.handler().description(), "summary", "The data of " + event + ", as JSON",
						"payload", this.document.payload(type)));
		this.document.operation(listener.service() + "." + listener.handler().method().getName(), "receive", channel,
				List.of(message), listener.service(), description(listener.handler().method()),
				map("summary", summary(listener.handler(), "Reads " + event + " of the stream")));
	}

	private void event(EventEndpoint event) {
		ServiceSettings settings = this.document.settings("");
		String channel = AsyncApiDocument.EVENTS;
		Map<String, Object> messages = this.document.channel(channel, this.document.broker(settings.amqpUri()),
				() -> AsyncApiDocument.amqpChannel(AsyncApiDocument.EVENTS, AsyncApiDocument.EVENTS, ExchangeType.FANOUT,
						settings, "farine's cluster events: every live instance reads each on a queue of its own. "
								+ "farine-only: Python farine takes no part."));
		Class<?>[] types = event.handler().method().getParameterTypes();
		Map<String, Object> payload = map();
		for (int i = 0; i < types.length; i++) {
			if (types[i] != ClusterEvent.class) {
				payload = this.document.payload(event.handler().parameterTypes()[i]);
			}
		}
		Map<String, Object> name = "*".equals(event.name()) ? map("type", "string")
				: map("type", "string", "const", event.name());
		Map<String, Object> message = this.document.message(channel, messages,
				event.service() + "." + event.handler().method().getName(),
				map("name", "*".equals(event.name()) ? "any event" : event.name(), "title",
						event.handler().description(), "headers", map("type", "object", "properties",
								map("x-farine-name", name, "x-farine-sender", map("type", "string", "description",
										"The sending instance's id, as the sender claims it")),
								"required", List.of("x-farine-name")),
						"payload", payload));
		this.document.operation(event.service() + "." + event.handler().method().getName(), "receive", channel,
				List.of(message), event.service(), description(event.handler().method()),
				map("summary", summary(event.handler(), "Receives cluster event "
						+ ("*".equals(event.name()) ? "of every name" : "'" + event.name() + "'"))));
	}

}

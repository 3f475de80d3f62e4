package io.farine.contract;

import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

import io.farine.cluster.ClusterEvent;
import io.farine.config.ExchangeType;
import io.farine.config.ServiceSettings;
import io.farine.rpc.RpcArguments;
import io.farine.service.HandlerMethod;
import io.farine.service.QueryEndpoint;
import io.farine.service.RpcEndpoint;
import io.farine.service.ServiceEndpoints;
import org.reactivestreams.Publisher;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;

import static io.farine.contract.AsyncApiDocument.AMQP_BINDING;
import static io.farine.contract.AsyncApiDocument.description;
import static io.farine.contract.AsyncApiDocument.summary;
import static io.farine.contract.JsonSchemas.map;

/**
 * The request/reply endpoints: each {@code @RpcMethod} receives requests {@code {"args": [...],
 * "kwargs": {...}}} on the channel of its queue {@code <service>__<method>} and replies on the
 * caller's queue (its {@code reply_to}) through the service's exchange, with the frames of the
 * wire protocol; each {@code @OnQuery} receives queries from the fanout exchange
 * {@code farine.queries} and answers through {@code farine.answers}.
 */
final class RequestReplies {

	private final AsyncApiDocument document;

	private final ObjectMapper mapper;

	RequestReplies(AsyncApiDocument document, ObjectMapper mapper) {
		this.document = document;
		this.mapper = mapper;
	}

	void add(ServiceEndpoints endpoints, List<String> services) {
		for (RpcEndpoint method : endpoints.rpcMethods()) {
			if (services.contains(method.service())) {
				rpc(method);
			}
		}
		for (QueryEndpoint query : endpoints.queries()) {
			if (services.contains(query.service())) {
				query(query);
			}
		}
	}

	private void rpc(RpcEndpoint method) {
		ServiceSettings settings = this.document.settings(method.service());
		String server = this.document.broker(settings.amqpUri());
		String channel = method.queue();
		Map<String, Object> requests = this.document.channel(channel, server,
				() -> AsyncApiDocument.amqpChannel(method.queue(), method.service(), settings.type(), settings,
						"Requests to " + method.service() + "." + method.name() + ": queue '" + method.queue()
								+ "', bound to exchange '" + method.service() + "' with the same key."));
		String replies = AsyncApiDocument.id(method.service() + ".replies");
		Map<String, Object> replyMessages = this.document.channel(replies, server,
				() -> AsyncApiDocument.amqpChannel(null, method.service(), settings.type(), settings,
						"Replies of service " + method.service() + ": to exchange '" + method.service()
								+ "', routing key = the request's reply_to, which names the caller's own queue "
								+ "(a random hex name, bound to that exchange with its name as key)."));
		String id = method.service() + "." + method.name();
		Result result = result(method);
		Map<String, Object> correlation = map("location", "$message.header#/correlation_id", "description",
				"The AMQP property correlation_id: 32 hex digits, copied into every reply.");
		Map<String, Object> request = this.document.message(channel, requests, id + ".request",
				map("name", "request", "title", id + " request", "summary",
						"A call: positional arguments in args, keyword arguments (by parameter name) in kwargs.",
						"correlationId", correlation, "payload", request(method.handler())));
		Map<String, Object> item = this.document.message(replies, replyMessages, id + ".item",
				map("name", "item", "title", id + " reply item", "summary", result.streams()
						? "One per item of the stream, in order; then the end frame."
						: "The result, as one item; then the end frame.", "correlationId", correlation, "payload",
						map("type", "object", "properties", map("body", result.schema(), "__end__",
								map("type", "boolean", "const", false)), "required", List.of("body", "__end__"),
								"additionalProperties", false)));
		Map<String, Object> end = this.document.sharedMessage(replies, replyMessages, "farine.rpc.end",
				map("name", "end", "title", "RPC end of reply", "summary", "The last frame of a reply that succeeded.",
						"correlationId", correlation, "payload", map("type", "object", "properties",
								map("__end__", map("type", "boolean", "const", true)), "required", List.of("__end__"),
								"additionalProperties", false)));
		Map<String, Object> error = this.document.sharedMessage(replies, replyMessages, "farine.rpc.error",
				map("name", "error", "title", "RPC error", "summary", "The method failed (or the call was bad): "
						+ "the error's text; nothing comes after it. Its Java type is in header x-exception-type.",
						"correlationId", correlation, "payload", map("type", "object", "properties",
								map("__except__", map("type", "string")), "required", List.of("__except__"),
								"additionalProperties", false)));
		this.document.operation(id, "receive", channel, List.of(request), method.service(),
				description(method.handler().method()),
				map("summary", summary(method.handler(), "Answers RPC calls " + id
						+ (result.streams() ? ", streaming its result item by item" : "")),
						"bindings", map("amqp", map("ack", true, "bindingVersion", AMQP_BINDING)),
						"reply", map("address", map("location", "$message.header#/reply_to", "description",
								"The AMQP property reply_to: the caller's reply queue, the routing key of the replies"),
								"channel", map("$ref", "#/channels/" + replies), "messages",
								List.of(item, end, error))));
	}

	/** {@code {"args": [...], "kwargs": {...}}}: the parameters by position, or by name. */
	private Map<String, Object> request(HandlerMethod handler) {
		Parameter[] parameters = handler.method().getParameters();
		if (parameters.length == 1 && parameters[0].getType() == RpcArguments.class) {
			return map("type", "object", "properties", map("args", map("type", "array"), "kwargs",
					map("type", "object")), "required", List.of("args", "kwargs"));
		}
		List<Object> positional = new ArrayList<>();
		Map<String, Object> named = new LinkedHashMap<>();
		for (int i = 0; i < parameters.length; i++) {
			Map<String, Object> schema = this.document.payload(handler.parameterTypes()[i]);
			positional.add(schema);
			named.put(parameters[i].getName(), schema);
		}
		Map<String, Object> args = map("type", "array", "maxItems", parameters.length, "description",
				(parameters.length == 0) ? "No arguments"
						: "Arguments by position: " + String.join(", ", named.keySet()));
		if (!positional.isEmpty()) { // a tuple: the parameters in order (an empty one is not a schema)
			args.put("items", positional);
		}
		return map("type", "object", "properties", map("args", args,
				"kwargs", map("type", "object", "properties", named, "additionalProperties", false,
						"description", "Arguments by name; each parameter once, by position or by name")),
				"required", List.of("args", "kwargs"), "additionalProperties", false);
	}

	private record Result(Map<String, Object> schema, boolean streams) {
	}

	/** The item of a reply: what the method returns, unwrapped from its stream, publisher or future. */
	private Result result(RpcEndpoint method) {
		JavaType type = this.mapper.getTypeFactory().constructType(method.handler().method().getGenericReturnType());
		Class<?> raw = type.getRawClass();
		if (raw == void.class || raw == Void.class) {
			return new Result(map("type", "null"), false);
		}
		for (Class<?> wrapper : List.of(Stream.class, Iterator.class, Publisher.class, CompletionStage.class)) {
			if (wrapper.isAssignableFrom(raw)) {
				JavaType[] parameters = this.mapper.getTypeFactory().findTypeParameters(type, wrapper);
				JavaType item = (parameters.length == 1) ? parameters[0] : this.mapper.constructType(Object.class);
				boolean single = wrapper == CompletionStage.class || raw.getName().equals("reactor.core.publisher.Mono");
				return new Result(this.document.payload(item), !single);
			}
		}
		if (method.streaming() && Iterable.class.isAssignableFrom(raw)) {
			JavaType[] parameters = this.mapper.getTypeFactory().findTypeParameters(type, Iterable.class);
			return new Result(this.document.payload((parameters.length == 1) ? parameters[0]
					: this.mapper.constructType(Object.class)), true);
		}
		return new Result(this.document.payload(type), false);
	}

	private void query(QueryEndpoint query) {
		ServiceSettings settings = this.document.settings("");
		String server = this.document.broker(settings.amqpUri());
		Map<String, Object> queries = this.document.channel(AsyncApiDocument.QUERIES, server,
				() -> AsyncApiDocument.amqpChannel(AsyncApiDocument.QUERIES, AsyncApiDocument.QUERIES, ExchangeType.FANOUT,
						settings, "farine's cluster queries: every live instance that runs the service asked for "
								+ "reads each. farine-only: Python farine takes no part."));
		Map<String, Object> answers = this.document.channel(AsyncApiDocument.ANSWERS, server,
				() -> AsyncApiDocument.amqpChannel(null, AsyncApiDocument.ANSWERS, ExchangeType.DIRECT, settings,
						"Answers to cluster queries: to the asker's queue farine.answers.<instance>, named by "
								+ "the query's header x-farine-reply-to."));
		String id = query.service() + "." + query.handler().method().getName();
		Map<String, Object> payload = map();
		Class<?>[] types = query.handler().method().getParameterTypes();
		for (int i = 0; i < types.length; i++) {
			if (types[i] != ClusterEvent.class) {
				payload = this.document.payload(query.handler().parameterTypes()[i]);
			}
		}
		Map<String, Object> asked = this.document.message(AsyncApiDocument.QUERIES, queries, id + ".query",
				map("name", query.name(), "title", "query " + query.name(), "headers", map("type", "object",
						"properties", map("x-farine-name", map("type", "string", "const", query.name()),
								"x-farine-reply-to", map("type", "string", "pattern", "^farine\\.answers\\."),
								"x-farine-service", map("type", "string"), "x-farine-tags", map("type", "string"),
								"x-farine-ack", map("type", "boolean")),
						"required", List.of("x-farine-name", "x-farine-reply-to")), "payload", payload));
		JavaType returned = this.mapper.getTypeFactory().constructType(query.handler().method().getGenericReturnType());
		for (Class<?> wrapper : List.of(Publisher.class, CompletionStage.class)) {
			if (wrapper.isAssignableFrom(returned.getRawClass())) {
				JavaType[] parameters = this.mapper.getTypeFactory().findTypeParameters(returned, wrapper);
				returned = (parameters.length == 1) ? parameters[0] : this.mapper.constructType(Object.class);
			}
		}
		Map<String, Object> response = this.document.message(AsyncApiDocument.ANSWERS, answers, id + ".answer",
				map("name", "response", "title", query.name() + " answer", "headers", answerHeaders("response"),
						"payload", this.document.payload(returned)));
		Map<String, Object> ack = this.document.sharedMessage(AsyncApiDocument.ANSWERS, answers, "farine.query.ack",
				map("name", "ack", "title", "query acknowledgement", "summary",
						"Sent before the answer when the query asked for it (x-farine-ack); empty body.",
						"headers", answerHeaders("ack")));
		this.document.operation(id, "receive", AsyncApiDocument.QUERIES, List.of(asked), query.service(),
				description(query.handler().method()),
				map("summary", summary(query.handler(), "Answers cluster query '" + query.name() + "'"),
						"reply", map("address", map("location", "$message.header#/x-farine-reply-to"), "channel",
								map("$ref", "#/channels/" + AsyncApiDocument.ANSWERS), "messages",
								List.of(ack, response))));
	}

	private static Map<String, Object> answerHeaders(String kind) {
		return map("type", "object", "properties", map("x-farine-answer", map("type", "string", "const", kind),
				"x-farine-sender", map("type", "string", "description", "The answering instance's id")),
				"required", List.of("x-farine-answer", "x-farine-sender"));
	}

}

package io.farine.contract;

import java.nio.file.Files;
import java.nio.file.Path;

import io.farine.test.Rabbit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AsyncAPI document of a running application ({@link ContractApp}, on RabbitMQ): what it
 * says of each kind of endpoint and of the payloads' types, and that the official parser
 * ({@code @asyncapi/parser}) finds no error in it.
 */
class AsyncApiDocumentIntegrationTests {

	private static final String SERVICE = Rabbit.unique("asyncapishop");

	private static final String FEED = Rabbit.unique("asyncapifeed");

	private static final String EXCHANGE = Rabbit.unique("asyncapi");

	private static final String QUEUE = Rabbit.unique("asyncapi-orders");

	@TempDir
	static Path directory;

	private static ConfigurableApplicationContext context;

	private static JsonNode document;

	@BeforeAll
	static void start() throws Exception {
		context = application(directory).run();
		Path file = directory.resolve("asyncapi.json");
		AsyncApiDocuments.write(context, file);
		document = new JsonMapper().readTree(file.toFile());
	}

	static SpringApplicationBuilder application(Path directory) throws Exception {
		Path ini = directory.resolve("farine.ini");
		Files.writeString(ini, "[DEFAULT]\namqp_uri = " + Rabbit.URI + "\n");
		return new SpringApplicationBuilder(ContractApp.class).web(WebApplicationType.NONE)
			.properties("FARINE_INI=" + ini, "t.service=" + SERVICE, "t.feed=" + FEED, "t.exchange=" + EXCHANGE,
					"t.queue=" + QUEUE, "spring.application.name=shop");
	}

	@AfterAll
	static void stop() throws Exception {
		if (context != null) {
			context.close();
		}
		try (Rabbit rabbit = new Rabbit()) {
			rabbit.deleteQuietly(QUEUE, SERVICE + "__quote", SERVICE + "__lines", SERVICE + "__orders",
					SERVICE + "__page", SERVICE + "__prices", SERVICE + "__cancel", SERVICE + "__echo");
			rabbit.deleteExchangeQuietly(EXCHANGE, SERVICE);
		}
	}

	@Test
	void theOfficialParserFindsNoError() throws Exception {
		String output = AsyncApiParser.validate(directory.resolve("asyncapi.json"));
		assertThat(output).contains("valid AsyncAPI 3.0.0").doesNotContain("error ");
	}

	@Test
	void theBrokerIsAServerWithoutItsPassword() {
		assertThat(document.path("asyncapi").asString()).isEqualTo("3.0.0");
		assertThat(document.path("info").path("title").asString()).isEqualTo("shop");
		JsonNode broker = document.path("servers").path("broker-127.0.0.1-5672");
		assertThat(broker.path("host").asString()).isEqualTo("127.0.0.1:5672");
		assertThat(broker.path("protocol").asString()).isEqualTo("amqp");
		assertThat(document.toString()).doesNotContain("guest:guest", "token=secret");
	}

	@Test
	void consumersReceiveAndPublishersSendOnTheChannelOfTheirExchangeAndKey() {
		JsonNode channel = document.path("channels").path(EXCHANGE + ".order");
		assertThat(channel.path("address").asString()).isEqualTo("order");
		assertThat(channel.path("bindings").path("amqp").path("exchange").path("name").asString()).isEqualTo(EXCHANGE);
		JsonNode consume = document.path("operations").path(SERVICE + ".onOrder");
		assertThat(consume.path("action").asString()).isEqualTo("receive");
		assertThat(consume.path("description").asString()).isEqualTo("Takes an order placed in the shop.");
		assertThat(consume.path("summary").asString()).contains("queue '" + QUEUE + "'");
		assertThat(message(consume.path("messages").get(0)).path("payload").path("$ref").asString())
			.isEqualTo("#/components/schemas/Order");
		JsonNode publish = document.path("operations").path(SERVICE + ".invoices");
		assertThat(publish.path("action").asString()).isEqualTo("send");
		assertThat(publish.path("channel").path("$ref").asString()).isEqualTo("#/channels/" + EXCHANGE + ".invoice");
	}

	@Test
	void rpcMethodsReceiveArgsAndKwargsAndReplyWithFarinesFrames() {
		JsonNode quote = document.path("operations").path(SERVICE + ".quote");
		assertThat(quote.path("action").asString()).isEqualTo("receive");
		assertThat(quote.path("description").asString()).isEqualTo("The price of a quantity of a product.");
		assertThat(quote.path("channel").path("$ref").asString()).isEqualTo("#/channels/" + SERVICE + "__quote");
		JsonNode request = message(quote.path("messages").get(0)).path("payload").path("properties");
		assertThat(request.path("args").path("items").get(0).path("type").asString()).isEqualTo("string");
		assertThat(request.path("args").path("items").get(1).path("type").asString()).isEqualTo("integer");
		assertThat(request.path("kwargs").path("properties").path("quantity").path("type").asString())
			.isEqualTo("integer");
		JsonNode reply = quote.path("reply");
		assertThat(reply.path("address").path("location").asString()).isEqualTo("$message.header#/reply_to");
		assertThat(reply.path("messages")).hasSize(3);
		JsonNode item = message(reply.path("messages").get(0)).path("payload");
		assertThat(item.path("properties").path("body").path("type").asString()).isEqualTo("number");
		assertThat(item.path("properties").path("__end__").path("const").asBoolean(true)).isFalse();
		assertThat(message(reply.path("messages").get(1)).path("payload").path("properties").path("__end__")
			.path("const").asBoolean()).isTrue();
		assertThat(message(reply.path("messages").get(2)).path("payload").path("required").get(0).asString())
			.isEqualTo("__except__");
	}

	@Test
	void aStreamingMethodsItemIsTheStreamsElement() {
		assertThat(itemBody("lines").path("$ref").asString()).isEqualTo("#/components/schemas/Line");
		assertThat(itemBody("orders").path("$ref").asString()).isEqualTo("#/components/schemas/Order");
		assertThat(itemBody("prices").path("$ref").asString()).isEqualTo("#/components/schemas/Price");
		assertThat(itemBody("page").path("$ref").asString()).isEqualTo("#/components/schemas/PageOfOrder");
		assertThat(itemBody("cancel").path("type").asString()).isEqualTo("null");
		assertThat(document.path("operations").path(SERVICE + ".lines").path("summary").asString())
			.contains("streaming");
	}

	@Test
	void schemasFollowTheTypesAsJacksonWritesThem() {
		JsonNode schemas = document.path("components").path("schemas");
		JsonNode order = schemas.path("Order").path("properties");
		assertThat(order.path("lines").path("type").asString()).isEqualTo("array");
		assertThat(order.path("lines").path("items").path("$ref").asString()).isEqualTo("#/components/schemas/Line");
		assertThat(order.path("status").path("$ref").asString()).isEqualTo("#/components/schemas/Status");
		assertThat(schemas.path("Status").path("enum").toString()).isEqualTo("[\"NEW\",\"PAID\"]");
		assertThat(order.path("note").path("type").asString()).isEqualTo("string");
		assertThat(order.path("placed").path("format").asString()).isEqualTo("date-time");
		assertThat(order.path("due").path("type").asString()).isEqualTo("string");
		assertThat(order.path("prices").path("additionalProperties").path("type").asString()).isEqualTo("number");
		assertThat(schemas.path("Line").path("properties").path("cents").path("format").asString()).isEqualTo("int64");
		assertThat(schemas.path("Line").path("properties").propertyNames()).containsExactly("sku_code", "quantity",
				"cents");
		JsonNode customer = schemas.path("Customer").path("properties");
		assertThat(customer.path("referrer").path("$ref").asString()).isEqualTo("#/components/schemas/Customer");
		assertThat(customer.path("name").path("description").asString()).isEqualTo("The customer's full name");
		assertThat(schemas.path("Price").path("description").asString()).isEqualTo("A product's price");
		JsonNode page = schemas.path("PageOfOrder").path("properties");
		assertThat(page.path("items").path("items").path("$ref").asString()).isEqualTo("#/components/schemas/Order");
	}

	@Test
	void sseListenersEventsAndQueriesAreThere() {
		JsonNode sse = document.path("operations").path(FEED + ".onPrice");
		assertThat(sse.path("action").asString()).isEqualTo("receive");
		JsonNode channel = document.path("channels").path(sse.path("channel").path("$ref").asString()
			.substring("#/channels/".length()));
		assertThat(channel.path("address").asString()).isEqualTo("/prices");
		assertThat(document.path("servers").path("sse-127.0.0.1-9").path("protocol").asString()).isEqualTo("http");
		JsonNode deploy = document.path("operations").path(SERVICE + ".deploy");
		assertThat(deploy.path("channel").path("$ref").asString()).isEqualTo("#/channels/farine.events");
		assertThat(message(deploy.path("messages").get(0)).path("headers").path("properties").path("x-farine-name")
			.path("const").asString()).isEqualTo("deploy");
		JsonNode status = document.path("operations").path(SERVICE + ".status");
		assertThat(status.path("channel").path("$ref").asString()).isEqualTo("#/channels/farine.queries");
		assertThat(status.path("reply").path("channel").path("$ref").asString())
			.isEqualTo("#/channels/farine.answers");
	}

	private JsonNode itemBody(String method) {
		JsonNode reply = document.path("operations").path(SERVICE + "." + method).path("reply");
		return message(reply.path("messages").get(0)).path("payload").path("properties").path("body");
	}

	/** The component message a channel message reference leads to. */
	private static JsonNode message(JsonNode reference) {
		String[] path = reference.path("$ref").asString().substring(2).split("/");
		JsonNode channelMessage = document.path(path[0]).path(path[1]).path(path[2]).path(path[3]);
		String component = channelMessage.path("$ref").asString();
		return document.path("components").path("messages").path(component.substring(component.lastIndexOf('/') + 1));
	}

}

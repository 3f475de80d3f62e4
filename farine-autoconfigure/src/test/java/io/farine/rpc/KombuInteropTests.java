package io.farine.rpc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.farine.autoconfigure.FarineAutoConfiguration;
import io.farine.test.Rabbit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * RPC between farine and a real Python peer: {@code farine_peer.py}, written with kombu the way
 * the original {@code farine.rpc} calls and answers, run by Debian's {@code python3} with
 * {@code python3-kombu} (installed by {@code scripts/services.sh}). A kombu caller gets exactly
 * the classic frames (docs/wire-protocol.md), never the compact or batched forms; the Java client,
 * which marks its requests for those forms, understands a server that ignores the mark.
 */
class KombuInteropTests {

	private static final String PYTHON = System.getenv().getOrDefault("FARINE_PYTHON", "/usr/bin/python3");

	private static final String KOMBU_URI = "amqp://guest:guest@127.0.0.1:5672//";

	private static final JsonMapper json = new JsonMapper();

	private Rabbit rabbit;

	private String service;

	private ApplicationContextRunner runner;

	@BeforeAll
	static void kombuIsInstalled() throws Exception {
		Process check = new ProcessBuilder(PYTHON, "-c", "import kombu").redirectErrorStream(true).start();
		String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(check.waitFor()).as("%s cannot import kombu (scripts/services.sh installs python3-kombu): %s",
				PYTHON, output).isZero();
	}

	@BeforeEach
	void setUp() throws Exception {
		this.rabbit = new Rabbit();
		this.service = Rabbit.unique("kombu");
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class))
			.withPropertyValues("farine.defaults.amqp_uri=" + Rabbit.URI, "t.service=" + this.service);
	}

	@AfterEach
	void tearDown() throws Exception {
		this.rabbit.deleteQuietly(Calculator.queues(this.service));
		this.rabbit.deleteQuietly(this.service + "__add", this.service + "__count", this.service + "__fail");
		this.rabbit.deleteExchangeQuietly(this.service);
		this.rabbit.close();
	}

	@Test
	void aKombuClientGetsTheClassicFramesFromTheJavaServer() {
		this.runner.withUserConfiguration(Calculator.class).run((context) -> {
			List<Map<String, Object>> add = kombuCall("add", "[1, 2]", "{}");
			assertThat(add).extracting((reply) -> reply.get("frame"))
				.containsExactly(Map.of("body", 3, "__end__", false), Map.of("__end__", true));
			add.forEach(this::assertClassicReply);

			List<Map<String, Object>> count = kombuCall("count", "[]", "{\"n\": 3}");
			assertThat(count).extracting((reply) -> reply.get("frame"))
				.containsExactly(Map.of("body", 0, "__end__", false), Map.of("body", 1, "__end__", false),
						Map.of("body", 2, "__end__", false), Map.of("__end__", true));
			count.forEach(this::assertClassicReply);

			List<Map<String, Object>> boom = kombuCall("boom", "[]", "{}");
			assertThat(boom).extracting((reply) -> reply.get("frame"))
				.containsExactly(Map.of("__except__", "java.lang.IllegalStateException: boom"));
			boom.forEach(this::assertClassicReply);
		});
	}

	@Test
	void theJavaClientCallsAKombuServer() throws Exception {
		try (KombuServer server = new KombuServer(this.service)) {
			this.runner.withUserConfiguration(RpcIntegrationTests.Clients.class).run((context) -> {
				RpcOperations client = context.getBean(RpcIntegrationTests.Clients.class).calculator;
				assertThat(client.call("add", Integer.class, 40, 2)).isEqualTo(42);
				try (Stream<Integer> items = client.request("count").kwarg("n", 300).stream(Integer.class)) {
					assertThat(items.toList()).isEqualTo(java.util.stream.IntStream.range(0, 300).boxed().toList());
				}
				assertThatThrownBy(() -> client.call("fail", Object.class))
					.isInstanceOfSatisfying(RpcRemoteException.class, (ex) -> {
						assertThat(ex.getRemoteType()).isEqualTo("ValueError");
						assertThat(ex.getRemoteMessage()).isEqualTo("bad value: 42");
						assertThat(ex.getRemoteText()).startsWith("Traceback (most recent call last):");
					});
				// the requests as the Python server decoded them
				assertThat(server.answered(3)).containsExactly(
						Map.of("method", "add", "request", Map.of("args", List.of(40, 2), "kwargs", Map.of())),
						Map.of("method", "count", "request", Map.of("args", List.of(), "kwargs", Map.of("n", 300))),
						Map.of("method", "fail", "request", Map.of("args", List.of(), "kwargs", Map.of())));
			});
		}
	}

	@Test
	void aKombuServerRunsAOneWayCallAndKeepsServing() throws Exception {
		try (KombuServer server = new KombuServer(this.service)) {
			this.runner.withUserConfiguration(RpcIntegrationTests.Clients.class).run((context) -> {
				RpcOperations client = context.getBean(RpcIntegrationTests.Clients.class).calculator;
				client.signal("add", 1, 2).join();
				assertThat(client.call("add", Integer.class, 40, 2)).isEqualTo(42);
				assertThat(server.answered(2)).containsExactly(
						Map.of("method", "add", "request", Map.of("args", List.of(1, 2), "kwargs", Map.of())),
						Map.of("method", "add", "request", Map.of("args", List.of(40, 2), "kwargs", Map.of())));
			});
		}
	}

	/**
	 * Why a one-way request carries a {@code reply_to} that routes nowhere: the original reads
	 * {@code message.properties['reply_to']} for every request, and a request without one makes
	 * that a {@code KeyError} out of its consumer loop, which stops serving.
	 */
	@Test
	void aKombuServerFailsOnARequestWithoutReplyTo() throws Exception {
		try (KombuServer server = new KombuServer(this.service); Rabbit raw = new Rabbit()) {
			raw.publish(this.service, this.service + "__add",
					new com.rabbitmq.client.AMQP.BasicProperties.Builder().contentType("application/json").build(),
					"{\"args\": [1, 2], \"kwargs\": {}}".getBytes(StandardCharsets.UTF_8));
			assertThat(server.exitValue()).as("the kombu server's exit status").isNotZero();
		}
	}

	/**
	 * The original's {@code __debug__} read by a kombu tool: it declares the {@code debug} queue as
	 * {@code farine.amqp.Consumer.debug} does (accepted: farine declared it alike) and reads the
	 * copy of the body a Java consumer sent, with the report in {@code __debug__}.
	 */
	@Test
	void aKombuToolReadsAJavaConsumersDebugReport() throws Exception {
		this.runner.withUserConfiguration(DebugConsumer.class)
			.withPropertyValues("farine.services." + this.service + ".debug=true")
			.run((context) -> {
				try (Rabbit raw = new Rabbit()) {
					raw.deleteQuietly("debug");
					raw.publish(this.service, this.service,
							new com.rabbitmq.client.AMQP.BasicProperties.Builder().contentType("application/json").build(),
							"{\"n\": 7, \"__debug__\": 1}".getBytes(StandardCharsets.UTF_8));
					Process reader = new ProcessBuilder(PYTHON, script(), "debug", KOMBU_URI, this.service)
						.redirectError(ProcessBuilder.Redirect.INHERIT)
						.start();
					String line;
					try (BufferedReader output = reader.inputReader(StandardCharsets.UTF_8)) {
						line = output.readLine();
					}
					assertThat(reader.waitFor(60, TimeUnit.SECONDS)).isTrue();
					assertThat(reader.exitValue()).as("the kombu reader's exit status").isZero();
					Map<String, Object> report = parse(line);
					assertThat(report).containsOnlyKeys("n", "__debug__").containsEntry("n", 7);
					assertThat((String) report.get("__debug__")).startsWith("farine timings (ms)\n");
				}
				finally {
					try (Rabbit raw = new Rabbit()) {
						raw.deleteQuietly("debug", this.service, this.service + ".dlq");
					}
				}
			});
	}

	@io.farine.service.FarineService("${t.service}")
	static class DebugConsumer {

		@io.farine.amqp.Consume
		void on(Map<String, Object> body) {
		}

	}

	private void assertClassicReply(Map<String, Object> reply) {
		assertThat(reply).containsEntry("content_type", "application/json")
			.containsEntry("content_encoding", "utf-8")
			.containsEntry("correlation_id", reply.get("expected_correlation_id"))
			.containsEntry("exchange", this.service)
			.containsEntry("routing_key", reply.get("reply_queue"));
	}

	/** Runs the kombu client once and returns the replies it printed, one per frame. */
	private List<Map<String, Object>> kombuCall(String method, String args, String kwargs) throws Exception {
		Process process = new ProcessBuilder(PYTHON, script(), "client", KOMBU_URI, this.service, method, args, kwargs)
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		List<Map<String, Object>> replies = new ArrayList<>();
		try (BufferedReader output = process.inputReader(StandardCharsets.UTF_8)) {
			for (String line = output.readLine(); line != null; line = output.readLine()) {
				replies.add(parse(line));
			}
		}
		finally {
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
		assertThat(process.exitValue()).as("the kombu client's exit status").isZero();
		return replies;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> parse(String line) {
		return json.readValue(line, Map.class);
	}

	private static String script() throws Exception {
		return Path.of(KombuInteropTests.class.getResource("/kombu/farine_peer.py").toURI()).toString();
	}

	/** The kombu server, running until closed; ready once it consumes its queues. */
	private static final class KombuServer implements AutoCloseable {

		private final Process process;

		private final BufferedReader output;

		KombuServer(String service) throws Exception {
			this.process = new ProcessBuilder(PYTHON, script(), "server", KOMBU_URI, service)
				.redirectError(ProcessBuilder.Redirect.INHERIT)
				.start();
			this.output = new BufferedReader(new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
			assertThat(this.output.readLine()).as("the kombu server's first line").isEqualTo("ready");
		}

		/** The next {@code n} requests the server answered, as it printed them. */
		List<Map<String, Object>> answered(int n) throws IOException {
			List<Map<String, Object>> requests = new ArrayList<>();
			for (int i = 0; i < n; i++) {
				String line = this.output.readLine();
				assertThat(line).as("request %d the kombu server answered", i + 1).isNotNull();
				requests.add(parse(line));
			}
			return requests;
		}

		/** Waits up to 30 s for the server to end by itself. */
		int exitValue() throws InterruptedException {
			assertThat(this.process.waitFor(30, TimeUnit.SECONDS)).as("the kombu server ended").isTrue();
			return this.process.exitValue();
		}

		@Override
		public void close() throws Exception {
			this.process.destroy();
			if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}

	}

}

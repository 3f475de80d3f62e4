package io.farine.observation;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import io.farine.amqp.Consume;
import io.farine.amqp.FarineMessage;
import io.farine.amqp.Publish;
import io.farine.amqp.Publisher;
import io.farine.autoconfigure.FarineAutoConfiguration;
import io.farine.autoconfigure.FarineClusterAutoConfiguration;
import io.farine.autoconfigure.FarineMetricsAutoConfiguration;
import io.farine.cluster.FarineEvents;
import io.farine.cluster.FarineQueries;
import io.farine.cluster.OnEvent;
import io.farine.cluster.OnQuery;
import io.farine.cluster.QueryAnswer;
import io.farine.cluster.QueryOptions;
import io.farine.execute.Execute;
import io.farine.rpc.RpcClient;
import io.farine.rpc.RpcMethod;
import io.farine.rpc.RpcOperations;
import io.farine.rpc.RpcRemoteException;
import io.farine.service.FarineService;
import io.farine.sse.SseListener;
import io.farine.test.Rabbit;
import io.farine.test.SseServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.search.MeterNotFoundException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.brave.bridge.W3CPropagation;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * farine's observations with a real meter registry and a real tracer (Brave, W3C propagation),
 * against RabbitMQ: the timers' names and tags for every kind, one trace across a publish, its
 * consume, an RPC call the consumer makes and the call's serving, and the gauges.
 */
class ObservationIntegrationTests {

	private final String service = Rabbit.unique("observed");

	private final List<MutableSpan> spans = new CopyOnWriteArrayList<>();

	private final Tracing tracing = Tracing.newBuilder()
		.propagationFactory(new W3CPropagation())
		.addSpanHandler(new SpanHandler() {

			@Override
			public boolean end(TraceContext context, MutableSpan span, Cause cause) {
				ObservationIntegrationTests.this.spans.add(span);
				return true;
			}

		})
		.build();

	private final MeterRegistry meters = new SimpleMeterRegistry();

	@AfterEach
	void tearDown() throws Exception {
		this.tracing.close();
		try (Rabbit rabbit = new Rabbit()) {
			rabbit.deleteQuietly(this.service, this.service + ".dlq", this.service + "__twice",
					this.service + "__fail");
			rabbit.deleteExchangeQuietly(this.service);
		}
	}

	private ConfigurableApplicationContext start(SseServer sse) {
		BraveTracer tracer = new BraveTracer(this.tracing.tracer(),
				new BraveCurrentTraceContext(this.tracing.currentTraceContext()), new BraveBaggageManager());
		BravePropagator propagator = new BravePropagator(this.tracing);
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationHandler(new DefaultMeterObservationHandler(this.meters))
			.observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
					new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
					new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
					new DefaultTracingObservationHandler(tracer)));
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.initializers((context) -> context.getBeanFactory().registerSingleton("observationRegistry", registry))
			.properties("farine.defaults.amqp_uri=" + Rabbit.URI, "t.service=" + this.service, "t.url=" + sse.url())
			.run();
	}

	@Test
	void aChainAcrossServicesIsOneTraceAndEveryKindIsATimer() throws Exception {
		try (SseServer sse = new SseServer().holdOpen(true); ConfigurableApplicationContext context = start(sse)) {
			sse.event("data: {\"n\": 1}");
			Chain chain = context.getBean(Chain.class);
			chain.out.publish(Map.of("n", 21));
			await().atMost(Duration.ofSeconds(20)).until(() -> chain.results.size() == 1);
			assertThat(chain.results).containsExactly(42);
			assertThatThrownBy(() -> chain.client.call("fail", Integer.class)).isInstanceOf(RpcRemoteException.class);

			// the consumed message carried the publish's trace in a W3C header
			String traceparent = String.valueOf(chain.headers.get(0).get("traceparent"));
			assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
			String traceId = traceparent.substring(3, 35);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(names(traceId))
				.as("spans of trace %s among %s", traceId, this.spans)
				.containsAll(Set.of("farine.publish", "farine.consume", "farine.rpc.client", "farine.rpc.server")));

			// a timer appears with its first observation: until then, looking it up throws
			await().atMost(Duration.ofSeconds(10)).ignoreException(MeterNotFoundException.class).untilAsserted(() -> {
				assertThat(timer("farine.publish", "exchange", this.service, "outcome", "success").count()).isOne();
				assertThat(timer("farine.consume", "queue", this.service, "outcome", "success").count()).isOne();
				assertThat(timer("farine.rpc.client", "method", "twice", "outcome", "success").count()).isOne();
				assertThat(timer("farine.rpc.server", "method", "twice", "outcome", "success").count()).isOne();
				assertThat(timer("farine.rpc.server", "method", "fail", "outcome", "failure", "error",
						"IllegalStateException").count()).isOne();
				assertThat(timer("farine.rpc.client", "method", "fail", "outcome", "failure").count()).isOne();
				assertThat(timer("farine.sse", "method", "onEvent", "outcome", "success").count()).isOne();
				assertThat(timer("farine.execute", "method", "once", "outcome", "success").count()).isOne();
			});

			// the gauges, bound as Spring Boot binds every MeterBinder
			context.getBeansOfType(MeterBinder.class).values().forEach((binder) -> binder.bindTo(this.meters));
			assertThat(context.getBeansOfType(MeterBinder.class)).containsKeys("farineMeterBinder",
					"farineAmqpMeterBinder");
			assertThat(this.meters.get("farine.consumers").gauge().value()).isOne();
			assertThat(this.meters.get("farine.rpc.client.in_flight").gauge().value()).isZero();
		}
	}

	@Test
	void eventAndQueryHandlersAreObservedLikeEveryOtherHandler() {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(this.meters));
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Members.class)
			.web(WebApplicationType.NONE)
			.initializers((initialized) -> initialized.getBeanFactory().registerSingleton("observationRegistry", registry))
			.properties("farine.defaults.amqp_uri=" + Rabbit.URI, "t.service=" + this.service)
			.run()) {
			context.getBean(FarineEvents.class).send("tick", Map.of("n", 1));
			QueryOptions options = QueryOptions.all().withService(this.service).withTimeout(Duration.ofSeconds(5));
			FarineQueries queries = context.getBean(FarineQueries.class);
			assertThat(queries.queryStream("status", Map.of(), options).toList())
				.extracting(QueryAnswer::kind)
				.contains(QueryAnswer.Kind.RESPONSE);
			assertThat(queries.queryStream("broken", Map.of(), options).toList()).extracting(QueryAnswer::kind)
				.doesNotContain(QueryAnswer.Kind.RESPONSE);
			await().atMost(Duration.ofSeconds(10)).ignoreException(MeterNotFoundException.class).untilAsserted(() -> {
				assertThat(timer("farine.cluster.event", "method", "onTick", "outcome", "success").count()).isOne();
				assertThat(timer("farine.cluster.query", "method", "status", "outcome", "success").count()).isOne();
				assertThat(timer("farine.cluster.query", "method", "broken", "outcome", "failure", "error",
						"IllegalStateException").count()).isOne();
			});
		}
	}

	private Set<String> names(String traceId) {
		return this.spans.stream()
			// Brave's 64-bit trace ids travel padded to W3C's 32 hex digits
			.filter((span) -> ("0".repeat(32 - span.traceId().length()) + span.traceId()).equals(traceId))
			.map(MutableSpan::name)
			.collect(Collectors.toSet());
	}

	private Timer timer(String name, String... tags) {
		return this.meters.get(name).tag("service", this.service).tags(tags).timer();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ JacksonAutoConfiguration.class, FarineAutoConfiguration.class,
			FarineMetricsAutoConfiguration.class })
	static class App {

		@Bean
		Chain chain() {
			return new Chain();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ JacksonAutoConfiguration.class, FarineAutoConfiguration.class,
			FarineClusterAutoConfiguration.class })
	static class Members {

		@Bean
		Member member() {
			return new Member();
		}

	}

	/** Receives an event and answers two queries, one by failing. */
	@FarineService("${t.service}")
	static class Member {

		@OnEvent("tick")
		void onTick(Map<String, Integer> payload) {
		}

		@OnQuery("status")
		String status(Map<String, Object> asked) {
			return "ok";
		}

		@OnQuery("broken")
		String broken(Map<String, Object> asked) {
			throw new IllegalStateException("failing on purpose");
		}

	}

	/** Publishes to itself; its consumer calls its own RPC method, which a test can also make fail. */
	@FarineService("${t.service}")
	static class Chain {

		@Publish
		Publisher out;

		@RpcClient("${t.service}")
		RpcOperations client;

		final List<Integer> results = new CopyOnWriteArrayList<>();

		final List<Map<String, Object>> headers = new CopyOnWriteArrayList<>();

		@Consume
		void on(Map<String, Integer> body, FarineMessage message) {
			this.headers.add(message.headers());
			this.results.add(this.client.call("twice", Integer.class, body.get("n")));
		}

		@RpcMethod
		int twice(int n) {
			return 2 * n;
		}

		@RpcMethod
		int fail() {
			throw new IllegalStateException("failing on purpose");
		}

		@SseListener(endpoint = "${t.url}")
		void onEvent(Map<String, Integer> event) {
		}

		@Execute(restart = false)
		void once() {
		}

	}

}

package io.farine.sse;

import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.farine.autoconfigure.FarineAutoConfiguration;
import io.farine.service.FarineService;
import io.farine.test.SseServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code @SseListener} against a real local HTTP server that ends streams, goes away and comes back. */
class SseListenerIntegrationTests {

	private ApplicationContextRunner runner(String url) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class))
			.withPropertyValues("t.url=" + url, "farine.defaults.sse_reconnect_delay=20ms",
					"farine.defaults.sse_reconnect_max_delay=200ms");
	}

	@Test
	void jsonAndTextEventsAreConvertedToTheParameterType() throws Exception {
		try (SseServer server = new SseServer().holdOpen(true)) {
			server.event("id: 1", "event: order", "data: {\"sku\": \"a\", \"qty\": 2}")
				.event("id: 2", "event: order", "data: {\"sku\": \"b\",", "data: \"qty\": 3}")
				.event("id: 3", "data: plain text")
				.event("id: 4", "data:")
				.event(": just a comment");
			this.runner(server.url()).withUserConfiguration(Orders.class, Texts.class, Events.class).run((context) -> {
				// three listeners, each on its own connection and thread
				await().atMost(Duration.ofSeconds(10)).until(() -> context.getBean(Texts.class).received.size() == 3
						&& context.getBean(Orders.class).received.size() == 2
						&& context.getBean(Events.class).received.size() == 2);
				assertThat(context.getBean(Orders.class).received).containsExactly(new Order("a", 2), new Order("b", 3));
				assertThat(context.getBean(Texts.class).received).containsExactly("{\"sku\": \"a\", \"qty\": 2}",
						"{\"sku\": \"b\",\n\"qty\": 3}", "plain text");
				ServerSentEvent<Map<String, Object>> first = context.getBean(Events.class).received.get(0);
				assertThat(first.id()).isEqualTo("1");
				assertThat(first.event()).isEqualTo("order");
				assertThat(first.data()).containsEntry("sku", "a");
				// only Texts sends the extra header
				assertThat(server.requests()).extracting(SseServer.Request::accept).containsOnly("text/event-stream");
				assertThat(server.requests()).extracting(SseServer.Request::token).containsOnlyOnce("secret");
			});
		}
	}

	@Test
	void everyEventIdCountsForLastEventIdEvenOfEventsFilteredOutOrWithoutData() throws Exception {
		try (SseServer server = new SseServer().perConnection(3)) {
			server.event("id: 1", "event: order", "data: {\"sku\": \"a\", \"qty\": 1}")
				.event("id: 2", "event: other", "data: {\"sku\": \"b\", \"qty\": 2}")
				.event("id: 3", "event: order", "data:")
				.event("id: 4", "event: order", "data: {\"sku\": \"d\", \"qty\": 4}");
			this.runner(server.url()).withUserConfiguration(Orders.class).run((context) -> {
				await().atMost(Duration.ofSeconds(10)).until(() -> context.getBean(Orders.class).received.size() == 2);
				assertThat(context.getBean(Orders.class).received).containsExactly(new Order("a", 1), new Order("d", 4));
				// after the first connection's three events, the reconnect resumes after id 3, not after 1
				assertThat(server.requests().get(1).lastEventId()).isEqualTo("3");
			});
		}
	}

	@Test
	void aServerRetryOfZeroIsClampedToTheReconnectDelay() throws Exception {
		try (SseServer server = new SseServer().perConnection(1)) {
			server.event("retry: 0", "id: 1", "data: x");
			this.runner(server.url())
				.withPropertyValues("farine.defaults.sse_reconnect_delay=300ms")
				.withUserConfiguration(Texts.class)
				.run((context) -> {
					await().atMost(Duration.ofSeconds(20)).until(() -> server.requests().size() >= 3);
					List<SseServer.Request> requests = server.requests();
					for (int i = 1; i < 3; i++) {
						assertThat(Duration.ofNanos(requests.get(i).nanos() - requests.get(i - 1).nanos()))
							.isGreaterThanOrEqualTo(Duration.ofMillis(250));
					}
				});
		}
	}

	@Test
	void aServerRetryOfOneMillisecondNeitherShortensTheDelayNorStopsTheBackoffWhileTheServerIsDown()
			throws Exception {
		Duration floor = Duration.ofMillis(200);
		SseServer server = new SseServer().perConnection(1);
		server.event("retry: 1", "id: 1", "data: x");
		this.runner(server.url())
			.withPropertyValues("farine.defaults.sse_reconnect_delay=" + floor.toMillis() + "ms",
					"farine.defaults.sse_reconnect_max_delay=2s")
			.withUserConfiguration(Texts.class)
			.run((context) -> {
				await().atMost(Duration.ofSeconds(10)).until(() -> context.getBean(Texts.class).received.contains("x"));
				server.close();
				SseRunner runner = context.getBean(SseRunner.class);
				long before = runner.listeners().get(0).connections();
				long start = System.nanoTime();
				AtomicLong attempts = new AtomicLong();
				await().atMost(Duration.ofSeconds(30))
					.until(() -> attempts.updateAndGet((n) -> runner.listeners().get(0).connections() - before) >= 5);
				Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
				// every pause is at least the floor: n attempts take at least n - 1 pauses
				assertThat(attempts.get()).isLessThanOrEqualTo(1 + elapsed.toMillis() / floor.toMillis());
				// and the pauses grow while attempts fail: at least 1, 1, 2 and 4 floors between five attempts
				assertThat(elapsed).isGreaterThanOrEqualTo(floor.multipliedBy(8));
			});
	}

	@Test
	void aClosedStreamIsResumedFromTheLastEventWithNoEventHandledTwiceOrSkipped() throws Exception {
		try (SseServer server = new SseServer().perConnection(3)) {
			for (int i = 1; i <= 10; i++) {
				server.event("id: " + i, "data: " + i);
			}
			this.runner(server.url()).withUserConfiguration(Texts.class).run((context) -> {
				List<String> received = context.getBean(Texts.class).received;
				await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 10);
				assertThat(received).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
				assertThat(server.requests()).extracting(SseServer.Request::lastEventId)
					.startsWith(null, "3", "6", "9");
				SseListenerState state = context.getBean(SseRunner.class).listeners().get(0);
				assertThat(state.lastEventId()).isEqualTo("10");
				assertThat(state.handled()).isGreaterThanOrEqualTo(10);
			});
		}
	}

	@Test
	void theServersRetryDelayIsHonoured() throws Exception {
		try (SseServer server = new SseServer().perConnection(1)) {
			server.event("id: 1", "retry: 700", "data: one").event("id: 2", "data: two");
			this.runner(server.url()).withUserConfiguration(Texts.class).run((context) -> {
				await().atMost(Duration.ofSeconds(10)).until(() -> context.getBean(Texts.class).received.size() == 2);
				List<SseServer.Request> requests = server.requests();
				long gap = Duration.ofNanos(requests.get(1).nanos() - requests.get(0).nanos()).toMillis();
				assertThat(gap).isGreaterThanOrEqualTo(650);
			});
		}
	}

	@Test
	void aListenerStartedWhileTheServerIsDownCatchesUpWhenItComesUp() throws Exception {
		int port;
		try (ServerSocket probe = new ServerSocket(0)) {
			port = probe.getLocalPort();
		}
		String url = "http://127.0.0.1:" + port + "/events";
		this.runner(url).withUserConfiguration(Texts.class).run((context) -> {
			assertThat(context).hasNotFailed();
			await().atMost(Duration.ofSeconds(5))
				.until(() -> context.getBean(SseRunner.class).listeners().get(0).connections() >= 2);
			try (SseServer server = new SseServer(port)) {
				server.event("id: 1", "data: late");
				await().atMost(Duration.ofSeconds(10)).until(() -> context.getBean(Texts.class).received.contains("late"));
			}
		});
	}

	@Test
	void aFailingHandlerIsCountedAndTheStreamGoesOn() throws Exception {
		try (SseServer server = new SseServer().holdOpen(true)) {
			server.event("id: 1", "data: ok").event("id: 2", "data: fail").event("id: 3", "data: ok again");
			this.runner(server.url()).withUserConfiguration(Picky.class).run((context) -> {
				await().atMost(Duration.ofSeconds(10)).until(() -> context.getBean(Picky.class).received.size() == 2);
				assertThat(context.getBean(Picky.class).received).containsExactly("ok", "ok again");
				SseListenerState state = context.getBean(SseRunner.class).listeners().get(0);
				assertThat(state.failures()).isEqualTo(1);
				assertThat(state.running()).isTrue();
			});
		}
	}

	@Test
	void aFieldSpringsReaderThrewOnNeitherEndsTheStreamNorLosesTheEventsAfterIt() throws Exception {
		// Spring's reader threw NumberFormatException at 'retry: soon' and IllegalArgumentException at
		// the lone CR, ending the stream; each reconnection replayed from id 1 and ended there again
		try (SseServer server = new SseServer().holdOpen(true)) {
			server.event("id: 1", "data: one")
				.event("id: 2", "retry: soon", "data: two")
				.event("id: 3", "event: x\ry", "data: three")
				.event("id: 4", "data: four");
			this.runner(server.url()).withUserConfiguration(Texts.class).run((context) -> {
				await().atMost(Duration.ofSeconds(10)).until(() -> context.getBean(Texts.class).received.size() == 4);
				assertThat(context.getBean(Texts.class).received).containsExactly("one", "two", "three", "four");
				assertThat(context.getBean(SseRunner.class).listeners().get(0).connections()).isEqualTo(1);
			});
		}
	}

	@Test
	void stopOnErrorStopsTheListenerAtTheFirstFailure() throws Exception {
		try (SseServer server = new SseServer().holdOpen(true)) {
			server.event("id: 1", "data: fail").event("id: 2", "data: never");
			this.runner(server.url()).withUserConfiguration(Strict.class).run((context) -> {
				await().atMost(Duration.ofSeconds(10))
					.until(() -> !context.getBean(SseRunner.class).listeners().get(0).running());
				assertThat(context.getBean(Strict.class).received).containsExactly("fail");
			});
		}
	}

	@Test
	void anEventFilterKeepsOnlyEventsOfThatName() throws Exception {
		try (SseServer server = new SseServer().holdOpen(true)) {
			server.event("event: ping", "data: p1").event("event: update", "data: u1").event("data: unnamed")
				.event("event: update", "data: u2");
			this.runner(server.url()).withUserConfiguration(Updates.class).run((context) -> {
				await().atMost(Duration.ofSeconds(10)).until(() -> context.getBean(Updates.class).received.size() == 2);
				assertThat(context.getBean(Updates.class).received).containsExactly("u1", "u2");
			});
		}
	}

	@Test
	void theEndpointComesFromTheServicesSectionAndNothingReconnectsAfterShutdown() throws Exception {
		try (SseServer server = new SseServer().perConnection(1)) {
			server.event("id: 1", "data: a");
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class))
				.withPropertyValues("farine.services.feed.endpoint=" + server.url(),
						"farine.defaults.sse_reconnect_delay=20ms", "farine.defaults.sse_reconnect_max_delay=50ms")
				.withUserConfiguration(Feed.class)
				.run((context) -> await().atMost(Duration.ofSeconds(10))
					.until(() -> context.getBean(Feed.class).received.contains("a")));
			int afterShutdown = server.requests().size();
			await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
				.until(() -> server.requests().size() == afterShutdown);
		}
	}

	@Test
	void aListenerWithNoEndpointFailsStartUpSayingWhereToSetIt() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class))
			.withUserConfiguration(Feed.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("has no endpoint: set @SseListener(endpoint = ...) or 'endpoint = <url>' in the "
						+ "[feed] section of farine.ini."));
	}

	@Test
	void theHttpClientIsBuiltOnlyWhenAListenerStarts() throws Exception {
		AtomicInteger builds = new AtomicInteger();
		WebClient.Builder counting = counting(WebClient.builder(), builds);
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class))
			.withBean(WebClient.Builder.class, () -> counting);
		// an application without @SseListener loads no HTTP client (Reactor Netty) at start-up
		runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(SseRunner.class).isRunning()).isTrue();
			assertThat(builds).hasValue(0);
		});
		try (SseServer server = new SseServer().holdOpen(true)) {
			server.event("id: 1", "data: one");
			runner.withPropertyValues("t.url=" + server.url()).withUserConfiguration(Texts.class).run((context) -> {
				await().atMost(Duration.ofSeconds(10)).until(() -> context.getBean(Texts.class).received.size() == 1);
				assertThat(builds).hasValue(1);
			});
		}
	}

	/** The builder, counting the clients it builds. */
	private static WebClient.Builder counting(WebClient.Builder builder, AtomicInteger builds) {
		return (WebClient.Builder) Proxy.newProxyInstance(WebClient.Builder.class.getClassLoader(),
				new Class<?>[] { WebClient.Builder.class }, (proxy, method, arguments) -> {
					if (method.getName().equals("build")) {
						builds.incrementAndGet();
					}
					Object result = method.invoke(builder, arguments);
					return (result == builder) ? proxy : result;
				});
	}

	record Order(String sku, int qty) {
	}

	@FarineService("orders")
	static class Orders {

		final List<Order> received = new CopyOnWriteArrayList<>();

		@SseListener(endpoint = "${t.url}", event = "order")
		void on(Order order) {
			this.received.add(order);
		}

	}

	@FarineService("texts")
	static class Texts {

		final List<String> received = new CopyOnWriteArrayList<>();

		@SseListener(endpoint = "${t.url}", headers = "X-Token: secret")
		void on(String text) {
			this.received.add(text);
		}

	}

	@FarineService("events")
	static class Events {

		final List<ServerSentEvent<Map<String, Object>>> received = new CopyOnWriteArrayList<>();

		@SseListener(endpoint = "${t.url}", event = "order")
		void on(ServerSentEvent<Map<String, Object>> event) {
			this.received.add(event);
		}

	}

	@FarineService("picky")
	static class Picky {

		final List<String> received = new CopyOnWriteArrayList<>();

		@SseListener(endpoint = "${t.url}")
		void on(String text) {
			if (text.equals("fail")) {
				throw new IllegalStateException("cannot take " + text);
			}
			this.received.add(text);
		}

	}

	@FarineService("strict")
	static class Strict {

		final List<String> received = new CopyOnWriteArrayList<>();

		@SseListener(endpoint = "${t.url}", stopOnError = true)
		void on(String text) {
			this.received.add(text);
			throw new IllegalStateException("cannot take " + text);
		}

	}

	@FarineService("updates")
	static class Updates {

		final List<String> received = new CopyOnWriteArrayList<>();

		@SseListener(endpoint = "${t.url}", event = "update")
		void on(String text) {
			this.received.add(text);
		}

	}

	@FarineService("feed")
	static class Feed {

		final List<String> received = new CopyOnWriteArrayList<>();

		@SseListener
		void on(String text) {
			this.received.add(text);
		}

	}

}

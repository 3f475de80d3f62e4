package io.farine.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.farine.autoconfigure.FarineAutoConfiguration;
import io.farine.autoconfigure.FarineClusterAutoConfiguration;
import io.farine.service.FarineService;
import io.farine.test.Rabbit;
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
 * Queries that end early leave nothing behind, against RabbitMQ, with no registry (so that a
 * query would otherwise wait for its whole timeout): one whose publish fails, one read with
 * {@code blockFirst()}, one whose stream is closed after its first answer.
 */
class QueryLeakIntegrationTests {

	@Test
	void aThousandQueriesThatFailToPublishOrWhoseReaderStopsEarlyLeaveNoCallInFlight() {
		String service = Rabbit.unique("leak");
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.properties("farine.defaults.amqp_uri=" + Rabbit.URI, "t.service=" + service)
			.run()) {
			FarineQueries queries = context.getBean(FarineQueries.class);
			ClusterRuntime runtime = context.getBean(ClusterRuntime.class);
			// a minute each: a call that is not ended when its reader goes would still be there
			QueryOptions waiting = QueryOptions.all().withTimeout(Duration.ofMinutes(1));
			// headers larger than a frame: the client refuses to publish the query
			QueryOptions unsendable = waiting.withTags("x".repeat(200_000));
			for (int i = 0; i < 1000; i++) {
				switch (i % 4) {
					case 0, 2 -> assertThatThrownBy(() -> queries.query("status", Map.of(), unsendable))
						.as("query %d", i)
						.isInstanceOf(io.farine.amqp.PublishException.class);
					case 1 -> assertThat(queries.query("status", Map.of("n", i), waiting).blockFirst(Duration.ofSeconds(30)))
						.as("first answer of query %d", i)
						.extracting(QueryAnswer::kind)
						.isEqualTo(QueryAnswer.Kind.RESPONSE);
					default -> {
						try (Stream<QueryAnswer> answers = queries.queryStream("status", Map.of("n", i), waiting)) {
							Optional<QueryAnswer> first = answers.findFirst();
							assertThat(first).as("first answer of query %d", i).isPresent();
						}
					}
				}
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> runtime.inFlight() == 0);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ JacksonAutoConfiguration.class, FarineAutoConfiguration.class,
			FarineClusterAutoConfiguration.class })
	static class App {

		@Bean
		Node node() {
			return new Node();
		}

	}

	@FarineService("${t.service}")
	static class Node {

		@OnQuery("status")
		Map<String, Object> status(Map<String, Object> asked) {
			return Map.of("ok", true);
		}

	}

}

package io.farine.samples.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.farine.cluster.FarineEvents;
import io.farine.cluster.FarineQueries;
import io.farine.cluster.QueryAnswer;
import io.farine.cluster.QueryOptions;
import io.farine.registry.ServiceRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Three nodes of the sample in one JVM, and one query: three answers; one event: three logs. */
@ExtendWith(OutputCaptureExtension.class)
class ClusterApplicationTests {

	private static ConfigurableApplicationContext node(String... args) {
		return new SpringApplicationBuilder(ClusterApplication.class).web(WebApplicationType.NONE).run(args);
	}

	@Test
	void threeNodesAnswerAQueryAndHearAnEvent(CapturedOutput output) {
		List<ConfigurableApplicationContext> nodes = new ArrayList<>();
		try {
			nodes.add(node());
			// farine-dev started an etcd for the first node: the others join it, as they would a real one
			String etcd = nodes.get(0).getEnvironment().getRequiredProperty("farine.defaults.etcd_endpoints");
			nodes.add(node("--farine.defaults.etcd_endpoints=" + etcd));
			nodes.add(node("--farine.defaults.etcd_endpoints=" + etcd));
			ServiceRegistry registry = nodes.get(0).getBean(ServiceRegistry.class);
			await().atMost(Duration.ofSeconds(30)).until(() -> registry.instances("node").size() == 3);
			List<QueryAnswer> answers = nodes.get(0)
				.getBean(FarineQueries.class)
				.queryStream("status", Map.of(), QueryOptions.all().withService("node").withTimeout(Duration.ofSeconds(20)))
				.toList();
			assertThat(answers).filteredOn((answer) -> answer.kind() == QueryAnswer.Kind.RESPONSE)
				.hasSize(3)
				.allSatisfy((answer) -> assertThat(answer.payload().path("instance").asString())
					.isEqualTo(answer.instanceId()));
			assertThat(answers.get(3).silent()).isEmpty();

			// the command line's one-shot query, in a process that does not run the node
			nodes.add(node("--farine.defaults.etcd_endpoints=" + etcd, "--farine.services.node.enabled=false",
					"--query=status"));
			assertThat(output.getOut()).containsOnlyOnce("end; silent: []");
			for (int i = 0; i < 3; i++) {
				String id = nodes.get(i).getBean(Node.class).instance();
				assertThat(output.getOut()).contains(id + ": {", "\"instance\":\"" + id + "\"");
			}

			nodes.get(1).getBean(FarineEvents.class).send("hello", Map.of());
			await().atMost(Duration.ofSeconds(20))
				.until(() -> nodes.subList(0, 3).stream().allMatch((node) -> node.getBean(Node.class).events().contains("hello")));
		}
		finally {
			nodes.forEach(ConfigurableApplicationContext::close);
		}
	}

}

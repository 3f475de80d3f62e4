package io.farine.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import io.farine.autoconfigure.FarineAutoConfiguration;
import io.farine.autoconfigure.FarineClusterAutoConfiguration;
import io.farine.service.FarineService;
import io.farine.test.Rabbit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JavaType;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A codec plugged for one service ({@code cluster_codec}) writes its query payloads and answers,
 * against RabbitMQ; a name that is no codec stops start-up, naming the codecs there are.
 */
class ClusterCodecIntegrationTests {

	private final String service = Rabbit.unique("coded");

	private ApplicationContextRunner runner(String codec) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class,
					FarineClusterAutoConfiguration.class))
			.withPropertyValues("farine.defaults.amqp_uri=" + Rabbit.URI, "t.service=" + this.service,
					"farine.services." + this.service + ".cluster_codec=" + codec)
			.withUserConfiguration(Shouting.class);
	}

	@Test
	void aServicesCodecWritesItsPayloadsAndAnswers() {
		runner("shout").run((context) -> {
			List<QueryAnswer> answers = context.getBean(FarineQueries.class)
				.query("echo", "hello", QueryOptions.all().withService(this.service).withTimeout(Duration.ofSeconds(6)))
				.collectList()
				.block(Duration.ofSeconds(30));
			assertThat(answers).hasSize(2);
			QueryAnswer answer = answers.get(0);
			assertThat(answer.kind()).isEqualTo(QueryAnswer.Kind.RESPONSE);
			// "hello" went out as HELLO, the handler made it HELLO!, which went back shouted
			assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("HELLO!");
			assertThat(answer.payload()).isNull();
			assertThat(context.getBean(Shouting.class).received).containsExactly("HELLO");
		});
	}

	@Test
	void aNameThatIsNoCodecStopsStartUpNamingTheCodecs() {
		runner("whisper").run((context) -> assertThat(context).getFailure()
			.rootCause()
			.hasMessage("cluster_codec = whisper of service '" + this.service + "' names no codec; the codecs are "
					+ "[json, raw, shout] (a ClusterCodec bean adds its name())"));
	}

	@Test
	void withoutFarinesAutoConfigurationTheClusterIsOff() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineClusterAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ClusterRuntime.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class Shouting {

		final List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();

		@Bean
		ClusterCodec shout() {
			return new ClusterCodec() {

				@Override
				public String name() {
					return "shout";
				}

				@Override
				public byte[] encode(@Nullable Object value) {
					return String.valueOf(value).toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
				}

				@Override
				public Object decode(byte[] body, JavaType type) {
					return new String(body, StandardCharsets.UTF_8);
				}

			};
		}

		@Bean
		Echo echo() {
			return new Echo(this.received);
		}

	}

	@FarineService("${t.service}")
	record Echo(List<String> received) {

		@OnQuery("echo")
		String echo(String text) {
			this.received.add(text);
			return text + "!";
		}

	}

}

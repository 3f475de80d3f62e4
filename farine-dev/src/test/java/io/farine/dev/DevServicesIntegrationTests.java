package io.farine.dev;

import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.farine.amqp.BrokerUnreachableException;
import io.farine.amqp.Consume;
import io.farine.amqp.Publish;
import io.farine.amqp.Publisher;
import io.farine.registry.RegistryState;
import io.farine.registry.ServiceRegistry;
import io.farine.rpc.RpcClientFactory;
import io.farine.rpc.RpcMethod;
import io.farine.service.FarineService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.support.TestPropertySourceUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * The stand-ins, each pointed at a loopback port where nothing listens: the embedded broker
 * carries messages and RPC, the embedded PostgreSQL answers queries, the local etcd or the
 * in-process registry registers the services; and nothing stands in for an address that is not
 * loopback.
 */
@ExtendWith(OutputCaptureExtension.class)
class DevServicesIntegrationTests {

	private static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static ConfigurableApplicationContext run(String... arguments) {
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).run(arguments);
	}

	@Test
	void anEmbeddedBrokerCarriesMessagesAndRpcWhenNothingListensOnTheLoopbackPort(CapturedOutput output)
			throws Exception {
		int port = freePort();
		try (ConfigurableApplicationContext context = run(
				"--farine.defaults.amqp_uri=amqp://guest:guest@127.0.0.1:" + port + "//")) {
			assertThat(output).contains("farine-dev: nothing accepts connections at amqp://guest:***@127.0.0.1:" + port)
				.contains("started an embedded AMQP broker (Apache Qpid Broker-J");
			Greeter greeter = context.getBean(Greeter.class);
			greeter.out.publish(Map.of("name", "ada"));
			assertThat(greeter.received.poll(20, TimeUnit.SECONDS)).isEqualTo(Map.of("name", "ada"));
			assertThat(context.getBean(RpcClientFactory.class).operations("greeter").call("hello", "bob").asString())
				.isEqualTo("hello bob");
			// Spring Boot's own RabbitMQ support points at the embedded broker too
			org.springframework.boot.amqp.autoconfigure.RabbitProperties boot = context
				.getBean(org.springframework.boot.amqp.autoconfigure.RabbitProperties.class);
			assertThat(boot.getPort()).isNotEqualTo(port);
			assertThat(context.getEnvironment().getProperty("farine.defaults.amqp_uri")).endsWith(":" + boot.getPort() + "//");
		}
	}

	@Test
	void aFailingHandlerDeadLettersOnTheEmbeddedBrokerToo() throws Exception {
		int port = freePort();
		try (ConfigurableApplicationContext context = run(
				"--farine.defaults.amqp_uri=amqp://guest:guest@127.0.0.1:" + port + "//",
				"--farine.defaults.consume_retries=0")) {
			Greeter greeter = context.getBean(Greeter.class);
			greeter.out.publish("not a map", io.farine.amqp.PublishOptions.DEFAULTS.withRoutingKey("refused"));
			com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
			String uri = context.getEnvironment().getProperty("farine.defaults.amqp_uri");
			factory.setPort(Integer.parseInt(uri.replaceAll(".*:(\\d+)//$", "$1")));
			factory.setHost("127.0.0.1");
			try (com.rabbitmq.client.Connection connection = factory.newConnection();
					com.rabbitmq.client.Channel channel = connection.createChannel()) {
				com.rabbitmq.client.GetResponse[] dead = new com.rabbitmq.client.GetResponse[1];
				await().atMost(Duration.ofSeconds(20))
					.until(() -> (dead[0] = channel.basicGet("refused.dlq", true)) != null);
				assertThat(dead[0].getProps().getHeaders()).containsKey("x-exception-type");
				assertThat(new String(dead[0].getBody(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("\"not a map\"");
			}
		}
	}

	@Test
	void anEmbeddedPostgresAnswersWhenNothingListensOnDbHost(CapturedOutput output) throws Exception {
		int port = freePort();
		try (ConfigurableApplicationContext context = run("--farine.dev.enabled=true",
				"--farine.defaults.db_connector=postgres", "--farine.defaults.db_host=127.0.0.1",
				"--farine.defaults.db_port=" + port, "--farine.defaults.db_name=shop",
				"--farine.defaults.db_user=shop", "--farine.defaults.db_password=secret",
				"--farine.defaults.amqp_uri=amqp://guest:guest@127.0.0.1:" + freePort() + "//")) {
			assertThat(output).contains("started an embedded PostgreSQL 15");
			assertThat(context.getBean(JdbcClient.class).sql("SELECT current_database()").query(String.class).single())
				.isEqualTo("shop");
		}
	}

	@Test
	void aLocalEtcdRegistersTheServicesWhenNothingListensOnTheEtcdPort(CapturedOutput output) throws Exception {
		try (ConfigurableApplicationContext context = run(
				"--farine.defaults.amqp_uri=amqp://guest:guest@127.0.0.1:" + freePort() + "//",
				"--farine.defaults.etcd_endpoints=http://127.0.0.1:" + freePort())) {
			ServiceRegistry registry = context.getBean(ServiceRegistry.class);
			await().atMost(Duration.ofSeconds(20)).until(() -> !registry.instances("greeter").isEmpty());
			assertThat(output).contains("farine-dev: nothing accepts connections at etcd");
		}
	}

	@Test
	void theInProcessRegistryStandsInWhenAskedAndRpcStillWorks() throws Exception {
		try (ConfigurableApplicationContext context = run(
				"--farine.defaults.amqp_uri=amqp://guest:guest@127.0.0.1:" + freePort() + "//",
				"--farine.defaults.etcd_endpoints=http://127.0.0.1:" + freePort(), "--farine.dev.registry=in-process")) {
			ServiceRegistry registry = context.getBean(ServiceRegistry.class);
			assertThat(registry).isInstanceOf(InProcessServiceRegistry.class);
			assertThat(registry.state()).isEqualTo(RegistryState.REGISTERED);
			assertThat(registry.instances("greeter")).singleElement()
				.satisfies((instance) -> assertThat(instance.entryPoints().rpc()).containsExactly("hello"));
			assertThat(context.getBean(RpcClientFactory.class).operations("greeter").call("hello", "eve").asString())
				.isEqualTo("hello eve");
		}
	}

	@Test
	void nothingStandsInForAnAddressThatIsNotLoopbackNorWhenSwitchedOff() {
		StandardEnvironment remote = new StandardEnvironment();
		TestPropertySourceUtils.addInlinedPropertiesToEnvironment(remote,
				"farine.defaults.amqp_uri=amqp://guest:guest@192.0.2.1:5672//");
		new DevServicesPostProcessor(new DeferredLogs()).postProcessEnvironment(remote, new SpringApplication());
		assertThat(remote.getPropertySources().contains(DevServicesPostProcessor.PROPERTY_SOURCE_NAME)).isFalse();

		StandardEnvironment off = new StandardEnvironment();
		TestPropertySourceUtils.addInlinedPropertiesToEnvironment(off,
				"farine.defaults.amqp_uri=amqp://guest:guest@127.0.0.1:1//", "farine.dev.enabled=false");
		new DevServicesPostProcessor(new DeferredLogs()).postProcessEnvironment(off, new SpringApplication());
		assertThat(off.getPropertySources().contains(DevServicesPostProcessor.PROPERTY_SOURCE_NAME)).isFalse();
	}

	@Test
	void eachStandInSaysAtWarnWhatItReplacedAndHowToTurnItOff(CapturedOutput output) throws Exception {
		int brokerPort = freePort();
		int databasePort = freePort();
		int etcdPort = freePort();
		try (ConfigurableApplicationContext context = run(
				"--farine.defaults.amqp_uri=amqp://guest:guest@127.0.0.1:" + brokerPort + "//",
				"--farine.defaults.db_connector=postgres", "--farine.defaults.db_host=127.0.0.1",
				"--farine.defaults.db_port=" + databasePort, "--farine.defaults.db_name=shop",
				"--farine.defaults.db_user=shop", "--farine.defaults.db_password=secret",
				"--farine.defaults.etcd_endpoints=http://127.0.0.1:" + etcdPort, "--farine.dev.registry=in-process")) {
			List<String> warnings = output.getOut()
				.lines()
				.filter((line) -> line.contains(" WARN ") && line.contains("farine-dev:"))
				.toList();
			assertThat(warnings).hasSize(3).allSatisfy((line) -> assertThat(line).contains("farine.dev.enabled=false"));
			assertThat(warnings.get(0)).contains("127.0.0.1:" + brokerPort).contains("embedded AMQP broker");
			assertThat(warnings.get(1)).contains("127.0.0.1:" + databasePort).contains("embedded PostgreSQL");
			assertThat(warnings.get(2)).contains("http://127.0.0.1:" + etcdPort).contains("in-process registry");
		}
	}

	@Test
	void nothingStandsInWithTheProdProfileActive(CapturedOutput output) throws Exception {
		int port = freePort();
		assertThatException().isThrownBy(() -> run("--spring.profiles.active=prod",
				"--farine.defaults.amqp_uri=amqp://guest:guest@127.0.0.1:" + port + "//").close())
			.withCauseInstanceOf(BrokerUnreachableException.class);
		assertThat(output).contains("farine-dev: off, no server is replaced: profile 'prod' is active")
			.doesNotContain("started an embedded");
		assertThat(Loopback.accepts("127.0.0.1", port)).isFalse();
	}

	@Test
	void nothingStandsInWithAProfileNamedInDisabledProfiles(CapturedOutput output) throws Exception {
		int port = freePort();
		assertThatException()
			.isThrownBy(() -> run("--spring.profiles.active=staging", "--farine.dev.disabled-profiles=staging,qa",
					"--farine.defaults.amqp_uri=amqp://guest:guest@127.0.0.1:" + port + "//")
				.close())
			.withCauseInstanceOf(BrokerUnreachableException.class);
		assertThat(output).contains("farine-dev: off, no server is replaced: profile 'staging' is active")
			.doesNotContain("started an embedded");
	}

	@Test
	void theProdProfileNoLongerCountsWhenDisabledProfilesNamesOthers() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.setActiveProfiles("prod");
		TestPropertySourceUtils.addInlinedPropertiesToEnvironment(environment, "farine.dev.disabled-profiles=staging");
		assertThat(DevServicesGuard.offBecause(environment, new SpringApplication(App.class))).isNull();
		environment.setActiveProfiles("staging");
		assertThat(DevServicesGuard.offBecause(environment, new SpringApplication(App.class))).contains("'staging'");
	}

	@Test
	void nothingStandsInForAnApplicationLoadedFromAJar(@TempDir Path directory) throws Exception {
		String fixture = PackagedApplicationTests.Fixture.class.getName();
		Path jar = directory.resolve("shop.jar");
		PackagedApplicationTests.writeJar(jar, PackagedApplicationTests.FIXTURE_PATH);
		try (URLClassLoader loader = new URLClassLoader(new URL[] { jar.toUri().toURL() },
				ClassLoader.getPlatformClassLoader())) {
			StandardEnvironment environment = new StandardEnvironment();
			TestPropertySourceUtils.addInlinedPropertiesToEnvironment(environment,
					"farine.defaults.amqp_uri=amqp://guest:guest@127.0.0.1:" + freePort() + "//");
			new DevServicesPostProcessor(new DeferredLogs()).postProcessEnvironment(environment,
					new SpringApplication(loader.loadClass(fixture)));
			assertThat(environment.getPropertySources().contains(DevServicesPostProcessor.PROPERTY_SOURCE_NAME)).isFalse();
			assertThat(DevServicesGuard.offBecause(environment, new SpringApplication(loader.loadClass(fixture))))
				.contains("packaged archive").contains("shop.jar");
		}
	}

	@FarineService("greeter")
	static class Greeter {

		final BlockingQueue<Map<String, Object>> received = new LinkedBlockingQueue<>();

		@Publish
		Publisher out;

		@Consume
		void on(Map<String, Object> body) {
			this.received.add(body);
		}

		@Consume(routingKey = "refused")
		void refuse(String body) {
			throw new IllegalStateException("refused " + body);
		}

		@RpcMethod
		String hello(String name) {
			return "hello " + name;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(Greeter.class)
	static class App {

	}

}

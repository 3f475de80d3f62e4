package io.farine.amqp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.farine.actuate.FarineEndpoint;
import io.farine.autoconfigure.FarineAutoConfiguration;
import io.farine.autoconfigure.FarineEndpointAutoConfiguration;
import io.farine.autoconfigure.FarineHealthAutoConfiguration;
import io.farine.config.FarineProperties;
import io.farine.config.ServiceSettings;
import io.farine.test.Pki;
import io.farine.test.TlsProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code amqps://} verifies the broker: a TLS endpoint with certificates made for the test, in
 * front of the local RabbitMQ. The right CA connects; an unknown CA, a certificate for another
 * host, or a missing client certificate are refused; only {@code amqp_tls_verify = false} trusts
 * anything, with a warning, and only for the services that set it: services on one URI with
 * different TLS settings get a broker each.
 */
@ExtendWith(OutputCaptureExtension.class)
class AmqpTlsIntegrationTests {

	private static Pki pki;

	private static Pki stranger;

	private static TlsProxy server;

	private static TlsProxy otherHost;

	private static TlsProxy mutual;

	@BeforeAll
	static void endpoints() throws Exception {
		pki = Pki.create("farine-test-ca").certificate("server", "serverAuth")
			.certificate("wrong-host", "serverAuth", "DNS:elsewhere.example")
			.certificate("client", "clientAuth");
		stranger = Pki.create("someone-else");
		server = new TlsProxy(pki.cert("server"), pki.key("server"), null, 5672);
		otherHost = new TlsProxy(pki.cert("wrong-host"), pki.key("wrong-host"), null, 5672);
		mutual = new TlsProxy(pki.cert("server"), pki.key("server"), pki.ca(), 5672);
	}

	@AfterAll
	static void stop() throws Exception {
		server.close();
		otherHost.close();
		mutual.close();
		pki.close();
		stranger.close();
	}

	private static ApplicationContextRunner runner(TlsProxy endpoint, String... properties) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class))
			.withPropertyValues("farine.defaults.amqp_uri=amqps://guest:guest@127.0.0.1:" + endpoint.port() + "//")
			.withPropertyValues(properties);
	}

	private static void connect(org.springframework.context.ApplicationContext context) {
		context.getBean(BrokerConnections.class).reachable(context.getBean(FarineProperties.class).service("tls"));
	}

	@Test
	void theRightCaConnects() {
		runner(server, "farine.defaults.amqp_ca=" + pki.ca()).run((context) -> {
			ServiceSettings settings = context.getBean(FarineProperties.class).service("tls");
			Broker broker = context.getBean(BrokerConnections.class).reachable(settings);
			assertThat(broker.tls()).isEqualTo("CA " + pki.ca());
			// a round trip through the TLS endpoint: published and confirmed, then taken back
			String queue = broker.admin().declareQueue().getName();
			byte[] body = "{\"over\": \"tls\"}".getBytes(StandardCharsets.UTF_8);
			broker.publish(new OutboundMessage("tls", "", queue, Wire.newId(), false, Map.of(), null, body), settings)
				.get(30, TimeUnit.SECONDS);
			Message received = new RabbitTemplate(broker.connectionFactory()).receive(queue, 30_000);
			assertThat(received).isNotNull();
			assertThat(received.getBody()).isEqualTo(body);
		});
	}

	@Test
	void withoutACaTheJvmsTrustedCasAreUsedAndATestCaIsRefused() {
		runner(server).run((context) -> assertThatThrownBy(() -> connect(context))
			.isInstanceOf(BrokerUnreachableException.class)
			.hasStackTraceContaining("PKIX path building failed"));
	}

	@Test
	void anUnknownCaIsRefused() {
		runner(server, "farine.defaults.amqp_ca=" + stranger.ca())
			.run((context) -> assertThatThrownBy(() -> connect(context)).isInstanceOf(BrokerUnreachableException.class)
				.hasStackTraceContaining("PKIX path building failed"));
	}

	@Test
	void aCertificateForAnotherHostIsRefused() {
		runner(otherHost, "farine.defaults.amqp_ca=" + pki.ca())
			.run((context) -> assertThatThrownBy(() -> connect(context)).isInstanceOf(BrokerUnreachableException.class)
				.hasStackTraceContaining("No subject alternative names matching IP address 127.0.0.1"));
	}

	@Test
	void aClientCertificateIsPresentedWhenTheBrokerAsksForOne() {
		runner(mutual, "farine.defaults.amqp_ca=" + pki.ca())
			.run((context) -> assertThatThrownBy(() -> connect(context)).isInstanceOf(BrokerUnreachableException.class));
		runner(mutual, "farine.defaults.amqp_ca=" + pki.ca(), "farine.defaults.amqp_cert=" + pki.cert("client"),
				"farine.defaults.amqp_key=" + pki.key("client"))
			.run(AmqpTlsIntegrationTests::connect);
	}

	@Test
	void servicesOnOneUriWithDifferentTlsSettingsGetABrokerEach() {
		runner(server, "farine.services.legacy.amqp_tls_verify=false", "farine.services.reports.amqp_tls_verify=false",
				"farine.services.billing.amqp_ca=" + pki.ca())
			.withConfiguration(AutoConfigurations.of(FarineHealthAutoConfiguration.class,
					FarineEndpointAutoConfiguration.class))
			.run((context) -> {
				BrokerConnections brokers = context.getBean(BrokerConnections.class);
				FarineProperties properties = context.getBean(FarineProperties.class);
				Broker legacy = brokers.reachable(properties.service("legacy"));
				// legacy trusts anything; payments, on the same URI, sets nothing: the JVM's CAs, which
				// refuse the test CA
				assertThatThrownBy(() -> brokers.reachable(properties.service("payments")))
					.isInstanceOf(BrokerUnreachableException.class)
					.hasStackTraceContaining("PKIX path building failed");
				Broker billing = brokers.reachable(properties.service("billing"));
				Broker payments = brokers.broker(properties.service("payments"));
				assertThat(brokers.broker(properties.service("reports"))).isSameAs(legacy);
				assertThat(List.of(legacy, payments, billing)).doesNotHaveDuplicates();
				assertThat(brokers.brokers()).hasSize(3);
				assertThat(List.of(legacy.tls(), payments.tls(), billing.tls()))
					.containsExactly("not verified", "JVM CAs", "CA " + pki.ca());
				// health: one component each, told apart by how it is trusted
				String nodes = "127.0.0.1-" + server.port();
				Map<String, Health> health = context.getBean("farineBrokers", BrokerHealthContributor.class)
					.stream()
					.collect(Collectors.toMap(HealthContributors.Entry::name,
							(entry) -> ((HealthIndicator) entry.contributor()).health()));
				assertThat(health).hasSize(3);
				assertThat(health.get(nodes + "-not-verified").getStatus()).isEqualTo(Status.UP);
				assertThat(health.get(nodes + "-jvm-cas").getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.values())
					.filteredOn((component) -> ("CA " + pki.ca()).equals(component.getDetails().get("tls")))
					.singleElement()
					.extracting(Health::getStatus)
					.isEqualTo(Status.UP);
				String uri = "amqps://guest:***@127.0.0.1:" + server.port() + "/%2F";
				assertThat(context.getBean(FarineEndpoint.class).farine().brokers()).containsExactlyInAnyOrder(
						uri + " (TLS: not verified)", uri + " (TLS: JVM CAs)", uri + " (TLS: CA " + pki.ca() + ")");
			});
	}

	@Test
	void onAPlainUriTlsSettingsDoNotSplitTheBroker() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class))
			.withPropertyValues("farine.defaults.amqp_uri=amqp://guest:guest@127.0.0.1:5672//",
					"farine.services.legacy.amqp_tls_verify=false", "farine.services.billing.amqp_ca=" + pki.ca())
			.run((context) -> {
				BrokerConnections brokers = context.getBean(BrokerConnections.class);
				FarineProperties properties = context.getBean(FarineProperties.class);
				Broker legacy = brokers.broker(properties.service("legacy"));
				assertThat(brokers.broker(properties.service("billing"))).isSameAs(legacy);
				assertThat(brokers.broker(properties.service("payments"))).isSameAs(legacy);
				assertThat(legacy.tls()).isNull();
			});
	}

	@Test
	void onlyAmqpTlsVerifyFalseTrustsAnythingAndItSaysSo(CapturedOutput output) {
		runner(server, "farine.defaults.amqp_tls_verify=false").run(AmqpTlsIntegrationTests::connect);
		assertThat(output).contains("trusts any certificate (amqp_tls_verify = false)");
	}

}

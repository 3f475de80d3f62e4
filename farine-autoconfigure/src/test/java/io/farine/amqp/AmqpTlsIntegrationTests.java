package io.farine.amqp;

import io.farine.autoconfigure.FarineAutoConfiguration;
import io.farine.config.FarineProperties;
import io.farine.test.Pki;
import io.farine.test.TlsProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
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
 * anything, with a warning.
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
		runner(server, "farine.defaults.amqp_ca=" + pki.ca()).run(AmqpTlsIntegrationTests::connect);
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
	void onlyAmqpTlsVerifyFalseTrustsAnythingAndItSaysSo(CapturedOutput output) {
		runner(server, "farine.defaults.amqp_tls_verify=false").run(AmqpTlsIntegrationTests::connect);
		assertThat(output).contains("trusts any certificate (amqp_tls_verify = false)");
	}

}

package io.farine.registry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Auth;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.farine.test.Closer;
import io.farine.test.EtcdProcess;
import io.farine.test.Pki;
import io.farine.test.Rabbit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The registry against an etcd with authentication, and one with TLS and client certificates. */
@ExtendWith(OutputCaptureExtension.class)
class EtcdSecurityIntegrationTests {

	private final String service = Rabbit.unique("secure");

	private final Closer closer = new Closer();

	@AfterEach
	void cleanUp() throws Exception {
		this.closer.close();
		try (Rabbit rabbit = new Rabbit()) {
			rabbit.deleteQuietly(this.service + "__ping");
			rabbit.deleteExchangeQuietly(this.service);
		}
	}

	private <T extends AutoCloseable> T closing(T closeable) {
		return this.closer.add(closeable);
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

	private static int registrations(Client client, String service) throws Exception {
		return client.getKVClient()
			.get(bytes("/farine/services/" + service + "/"), GetOption.builder().isPrefix(true).build())
			.get(5, TimeUnit.SECONDS)
			.getKvs()
			.size();
	}

	@Test
	void registersWithAUserAndPasswordAndNotWithAWrongOne(CapturedOutput output) throws Exception {
		EtcdProcess etcd = closing(EtcdProcess.start());
		try (Client admin = Client.builder().endpoints(etcd.endpoint()).build()) {
			Auth auth = admin.getAuthClient();
			auth.roleAdd(bytes("root")).get(5, TimeUnit.SECONDS);
			auth.userAdd(bytes("root"), bytes("s3cret")).get(5, TimeUnit.SECONDS);
			auth.userGrantRole(bytes("root"), bytes("root")).get(5, TimeUnit.SECONDS);
			auth.authEnable().get(5, TimeUnit.SECONDS);
		}
		ConfigurableApplicationContext wrong = closing(RegisteringApplication.start("t.service=" + this.service + "-x",
				"farine.defaults.etcd_endpoints=" + etcd.endpoint(), "farine.defaults.etcd_user=root",
				"farine.defaults.etcd_password=wrong"));
		ConfigurableApplicationContext app = closing(RegisteringApplication.start("t.service=" + this.service,
				"farine.defaults.etcd_endpoints=" + etcd.endpoint(), "farine.defaults.etcd_user=root",
				"farine.defaults.etcd_password=s3cret"));
		EtcdServiceRegistry registry = app.getBean(EtcdServiceRegistry.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> registry.state() == RegistryState.REGISTERED);
		Client reader = closing(Client.builder().endpoints(etcd.endpoint()).user(bytes("root")).password(bytes("s3cret"))
			.build());
		assertThat(registrations(reader, this.service)).isEqualTo(1);
		assertThat(output).contains("The etcd password of user 'root' goes to " + etcd.endpoint() + " without TLS")
			.doesNotContain("s3cret");
		assertThat(wrong.getBean(EtcdServiceRegistry.class).state()).isEqualTo(RegistryState.REGISTERING);
	}

	@Test
	void registersOverTlsWithAClientCertificate() throws Exception {
		Pki pki = closing(Pki.create("farine-test-ca")).certificate("server", "serverAuth,clientAuth")
			.certificate("client", "clientAuth");
		EtcdProcess etcd = closing(EtcdProcess.start("--cert-file", pki.cert("server").toString(), "--key-file",
				pki.key("server").toString(), "--trusted-ca-file", pki.ca().toString(), "--client-cert-auth"));
		assertThat(etcd.endpoint()).startsWith("https://");
		ConfigurableApplicationContext app = closing(RegisteringApplication.start("t.service=" + this.service,
				"farine.defaults.etcd_endpoints=" + etcd.endpoint(), "farine.defaults.etcd_ca=" + pki.ca(),
				"farine.defaults.etcd_cert=" + pki.cert("client"), "farine.defaults.etcd_key=" + pki.key("client")));
		EtcdServiceRegistry registry = app.getBean(EtcdServiceRegistry.class);
		await().atMost(Duration.ofSeconds(15)).until(() -> registry.state() == RegistryState.REGISTERED);
		await().atMost(Duration.ofSeconds(10)).until(() -> registry.instances(this.service).size() == 1);
	}

}

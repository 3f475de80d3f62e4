package io.farine.registry;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Auth;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.farine.test.Closer;
import io.farine.test.EtcdProcess;
import io.farine.test.Rabbit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The registry against an etcd with authentication, and one with TLS and client certificates. */
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
	void registersWithAUserAndPasswordAndNotWithAWrongOne() throws Exception {
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
		assertThat(wrong.getBean(EtcdServiceRegistry.class).state()).isEqualTo(RegistryState.REGISTERING);
	}

	@Test
	void registersOverTlsWithAClientCertificate() throws Exception {
		Path pki = Files.createTempDirectory("farine-pki-");
		closing(() -> deleteRecursively(pki.toFile()));
		openssl(pki, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca-key.pem", "-out", "ca.pem", "-days",
				"1", "-subj", "/CN=farine-test-ca");
		certificate(pki, "server", "serverAuth,clientAuth");
		certificate(pki, "client", "clientAuth");
		EtcdProcess etcd = closing(EtcdProcess.start("--cert-file", pki.resolve("server.pem").toString(), "--key-file",
				pki.resolve("server-key.pem").toString(), "--trusted-ca-file", pki.resolve("ca.pem").toString(),
				"--client-cert-auth"));
		assertThat(etcd.endpoint()).startsWith("https://");
		ConfigurableApplicationContext app = closing(RegisteringApplication.start("t.service=" + this.service,
				"farine.defaults.etcd_endpoints=" + etcd.endpoint(), "farine.defaults.etcd_ca=" + pki.resolve("ca.pem"),
				"farine.defaults.etcd_cert=" + pki.resolve("client.pem"),
				"farine.defaults.etcd_key=" + pki.resolve("client-key.pem")));
		EtcdServiceRegistry registry = app.getBean(EtcdServiceRegistry.class);
		await().atMost(Duration.ofSeconds(15)).until(() -> registry.state() == RegistryState.REGISTERED);
		await().atMost(Duration.ofSeconds(10)).until(() -> registry.instances(this.service).size() == 1);
	}

	private static void certificate(Path pki, String name, String usage) throws Exception {
		openssl(pki, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + "-key.pem", "-out", name + ".csr", "-subj",
				"/CN=" + name);
		Files.writeString(pki.resolve(name + ".ext"),
				"subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=" + usage + "\n");
		openssl(pki, "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
				"-out", name + ".pem", "-days", "1", "-extfile", name + ".ext");
	}

	private static void openssl(Path directory, String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("openssl"));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (process.waitFor() != 0) {
			throw new IOException("openssl " + String.join(" ", args) + " failed: " + output);
		}
	}

	private static void deleteRecursively(File file) {
		File[] children = file.listFiles();
		if (children != null) {
			for (File child : children) {
				deleteRecursively(child);
			}
		}
		file.delete();
	}

}

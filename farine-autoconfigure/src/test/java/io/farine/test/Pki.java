package io.farine.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.springframework.util.FileSystemUtils;

/**
 * A throw-away certificate authority made with {@code openssl} in a temporary directory: a CA and
 * certificates it signs for 127.0.0.1 and {@code localhost} (or other names), with PKCS#8 keys,
 * all PEM files. Deleted on close.
 */
public final class Pki implements AutoCloseable {

	private final Path directory;

	private Pki(Path directory) {
		this.directory = directory;
	}

	/** A new CA named {@code cn}. */
	public static Pki create(String cn) throws IOException, InterruptedException {
		Pki pki = new Pki(Files.createTempDirectory("farine-pki-"));
		pki.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca-key.pem", "-out", "ca.pem", "-days",
				"1", "-subj", "/CN=" + cn);
		return pki;
	}

	/** A certificate {@code <name>.pem} with key {@code <name>-key.pem}, for 127.0.0.1 and localhost. */
	public Pki certificate(String name, String usage) throws IOException, InterruptedException {
		return certificate(name, usage, "IP:127.0.0.1,DNS:localhost");
	}

	/** A certificate for the given subject alternative names, such as {@code DNS:elsewhere}. */
	public Pki certificate(String name, String usage, String subjectAltNames) throws IOException, InterruptedException {
		openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + "-key.pem", "-out", name + ".csr", "-subj",
				"/CN=" + name);
		Files.writeString(this.directory.resolve(name + ".ext"),
				"subjectAltName=" + subjectAltNames + "\nextendedKeyUsage=" + usage + "\n");
		openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial", "-out",
				name + ".pem", "-days", "1", "-extfile", name + ".ext");
		return this;
	}

	public Path ca() {
		return this.directory.resolve("ca.pem");
	}

	public Path cert(String name) {
		return this.directory.resolve(name + ".pem");
	}

	public Path key(String name) {
		return this.directory.resolve(name + "-key.pem");
	}

	private void openssl(String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("openssl"));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).directory(this.directory.toFile()).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (process.waitFor() != 0) {
			throw new IOException("openssl " + String.join(" ", args) + " failed: " + output);
		}
	}

	@Override
	public void close() {
		FileSystemUtils.deleteRecursively(this.directory.toFile());
	}

}

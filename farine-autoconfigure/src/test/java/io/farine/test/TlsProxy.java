package io.farine.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;

import javax.net.ssl.SSLServerSocket;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/**
 * A TLS endpoint on a free loopback port in front of the plain local RabbitMQ: it presents a
 * server certificate (and may require a client certificate signed by a CA), then forwards the
 * bytes. It tests what a TLS client verifies without a TLS-configured broker.
 */
public final class TlsProxy implements AutoCloseable {

	private final SSLServerSocket server;

	public TlsProxy(Path cert, Path key, @Nullable Path clientCa, int targetPort) throws IOException {
		SslBundle bundle = SslBundle.of(new PemSslStoreBundle(
				PemSslStoreDetails.forCertificate("file:" + cert).withPrivateKey("file:" + key),
				(clientCa != null) ? PemSslStoreDetails.forCertificate("file:" + clientCa) : null));
		this.server = (SSLServerSocket) bundle.createSslContext()
			.getServerSocketFactory()
			.createServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.server.setNeedClientAuth(clientCa != null);
		Thread acceptor = new Thread(() -> accept(targetPort), "tls-proxy-" + port());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	public int port() {
		return this.server.getLocalPort();
	}

	private void accept(int targetPort) {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				Socket upstream = new Socket();
				upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
				pipe(client, upstream);
				pipe(upstream, client);
			}
			catch (IOException ex) {
				// closed, or a handshake the client refused: the test looks at the client's side
			}
		}
	}

	private static void pipe(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				in.transferTo(out);
			}
			catch (IOException ex) {
				// one side went away
			}
			finally {
				try {
					from.close();
					to.close();
				}
				catch (IOException ex) {
					// closing
				}
			}
		}, "tls-proxy-pipe");
		thread.setDaemon(true);
		thread.start();
	}

	@Override
	public void close() throws IOException {
		this.server.close();
	}

}

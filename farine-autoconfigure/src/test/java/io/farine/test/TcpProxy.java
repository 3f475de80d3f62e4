package io.farine.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on a free loopback port in front of a real server, for fault tests: it forwards
 * bytes both ways until {@link #cutConnections()} drops every open connection (as a network
 * failure would); new connections are accepted again at once. A connection made while the server
 * is down is closed at once, as the server's refusal would close it, so a client with several
 * addresses moves on to the next rather than waiting for a handshake that never comes.
 * <p>
 * A cut and the registration of a newly accepted connection exclude each other: a connection
 * accepted while a cut runs is either cut with the others or counted after it, never left open
 * and forgotten (which once made a later cut miss the only live connection).
 */
public final class TcpProxy implements AutoCloseable {

	private final ServerSocket server;

	private final int targetPort;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private final AtomicInteger accepted = new AtomicInteger();

	private final Object lock = new Object();

	public TcpProxy(int targetPort) throws IOException {
		this(0, targetPort);
	}

	/** A proxy listening on a given loopback port, such as one a client is already trying. */
	public TcpProxy(int listenPort, int targetPort) throws IOException {
		this.targetPort = targetPort;
		this.server = new ServerSocket();
		this.server.setReuseAddress(true);
		this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort), 50);
		Thread acceptor = new Thread(this::accept, "tcp-proxy-" + port());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/** A loopback port nothing listens on (free when this returns). */
	public static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	public int port() {
		return this.server.getLocalPort();
	}

	/** How many client connections the proxy has accepted so far. */
	public int acceptedConnections() {
		return this.accepted.get();
	}

	/** How many client connections are open through the proxy now. */
	public int openConnections() {
		synchronized (this.lock) {
			return this.sockets.size() / 2;
		}
	}

	/**
	 * Closes every open connection through the proxy, both sides.
	 * @return how many connections had been accepted when the cut was made: a client that
	 * reconnects afterwards makes {@link #acceptedConnections()} exceed it
	 */
	public int cutConnections() {
		synchronized (this.lock) {
			for (Socket socket : this.sockets) {
				closeQuietly(socket);
			}
			this.sockets.clear();
			return this.accepted.get();
		}
	}

	private void accept() {
		while (!this.server.isClosed()) {
			Socket client = null;
			try {
				client = this.server.accept();
				Socket upstream = new Socket();
				try {
					upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.targetPort), 5000);
				}
				catch (IOException ex) {
					// the server is down: the client's connection fails at once, as it would without the proxy
					closeQuietly(client);
					closeQuietly(upstream);
					continue;
				}
				client.setTcpNoDelay(true);
				upstream.setTcpNoDelay(true);
				synchronized (this.lock) {
					this.sockets.add(client);
					this.sockets.add(upstream);
					this.accepted.incrementAndGet();
				}
				pump(client, upstream);
				pump(upstream, client);
			}
			catch (IOException ex) {
				// the proxy was closed
				if (client != null) {
					closeQuietly(client);
				}
			}
		}
	}

	private void pump(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16384];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					out.write(buffer, 0, read);
				}
			}
			catch (IOException ex) {
				// connection cut
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
				this.sockets.remove(from);
				this.sockets.remove(to);
			}
		}, "tcp-proxy-pump");
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		cutConnections();
	}

}

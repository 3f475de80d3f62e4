package io.farine.dev;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;

/** Whether an address is this machine's loopback, and whether something listens there. */
final class Loopback {

	private static final int CONNECT_TIMEOUT_MILLIS = 1000;

	private Loopback() {
	}

	/** True for 127.0.0.0/8, ::1 and names resolving there, such as {@code localhost}. */
	static boolean is(String host) {
		try {
			return InetAddress.getByName(host).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	/** Whether a TCP connection to the address is accepted now. */
	static boolean accepts(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** A loopback port nothing listens on when this returns. */
	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException("No free loopback port: " + ex.getMessage(), ex);
		}
	}

}

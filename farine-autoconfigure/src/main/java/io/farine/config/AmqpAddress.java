package io.farine.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;


/**
 * Where an {@code amqp_uri} points, read as kombu reads it, so a Python service's
 * {@code farine.ini} means the same here: the path after the first {@code /} is the virtual host,
 * percent-decoded ({@code //} and {@code /%2F} are {@code /}, {@code /%2Fname} is {@code /name}),
 * no path (or an empty one) is {@code /}; user and password default to {@code guest}; the transport
 * prefixes {@code pyamqp} and {@code librabbitmq} mean {@code amqp}, and {@code amqps} adds TLS on
 * port 5671. {@link #toString()} masks the password. An {@code amqp_uri} may list the nodes
 * of one cluster, separated by {@code ;} (as kombu's failover URIs are) or {@code ,}
 * ({@link #parseAll}). Public so that farine-dev reads broker addresses the same way.
 * <p>
 * Not part of farine's API: public because the amqp package and farine-dev parse {@code amqp_uri}
 * with it.
 *
 * @param tls whether the connection uses TLS
 * @param host the broker host
 * @param port the broker port
 * @param username the user
 * @param password the password
 * @param virtualHost the virtual host
 */
public record AmqpAddress(boolean tls, String host, int port, String username, String password, String virtualHost) {

	/** The schemes kombu accepts for RabbitMQ, plain first, then with TLS. */
	static final List<String> PLAIN_SCHEMES = List.of("amqp", "pyamqp", "librabbitmq");

	static final List<String> TLS_SCHEMES = List.of("amqps", "pyamqps");

	/**
	 * Reads an {@code amqp_uri} that may list several nodes of one cluster, such as
	 * {@code amqp://user:pw@rabbit-1:5672/shop;amqp://user:pw@rabbit-2:5672/shop}. The nodes must
	 * agree on TLS, user, password and virtual host: one connection factory fails over between them.
	 * Errors never quote the URI, which may hold a password.
	 * @param amqpUri the configured value
	 * @return the nodes, in the order given
	 * @throws IllegalArgumentException saying what is wrong and which node (by position)
	 */
	public static List<AmqpAddress> parseAll(String amqpUri) {
		List<AmqpAddress> nodes = new ArrayList<>();
		// -1: a trailing separator leaves an empty node, named below, rather than none at all
		String[] parts = amqpUri.split("[;,]", -1);
		for (int i = 0; i < parts.length; i++) {
			String part = parts[i].strip();
			String which = (parts.length > 1) ? "node " + (i + 1) + " of amqp_uri" : "amqp_uri";
			if (part.isEmpty()) {
				throw new IllegalArgumentException(which + " is empty; expected amqp://user:password@host:port/vhost, "
						+ "several separated by ';' or ','");
			}
			try {
				nodes.add(of(new URI(part)));
			}
			catch (URISyntaxException ex) {
				throw new IllegalArgumentException(which + " is not a valid URI: " + ex.getReason() + " at index "
						+ ex.getIndex() + "; expected amqp://user:password@host:port/vhost (percent-encode reserved "
						+ "characters in the user and password)");
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException((parts.length > 1) ? which + ": " + ex.getMessage() : ex.getMessage());
			}
		}
		AmqpAddress first = nodes.get(0);
		for (int i = 1; i < nodes.size(); i++) {
			AmqpAddress node = nodes.get(i);
			List<String> differences = new ArrayList<>();
			if (node.tls != first.tls) {
				differences.add("TLS");
			}
			if (!node.username.equals(first.username)) {
				differences.add("user");
			}
			if (!node.password.equals(first.password)) {
				differences.add("password");
			}
			if (!node.virtualHost.equals(first.virtualHost)) {
				differences.add("virtual host");
			}
			if (!differences.isEmpty()) {
				throw new IllegalArgumentException("node " + (i + 1) + " of amqp_uri differs from node 1 in "
						+ String.join(", ", differences) + ": the nodes of one cluster share them");
			}
		}
		return List.copyOf(nodes);
	}

	/**
	 * Describes the nodes of an {@code amqp_uri} for logs and errors, passwords masked.
	 * @param nodes the nodes
	 * @return their masked URIs, separated by {@code ;}
	 */
	public static String describe(List<AmqpAddress> nodes) {
		return String.join(";", nodes.stream().map(AmqpAddress::toString).toList());
	}

	/**
	 * {@code host:port} as a connection factory's address list takes it.
	 * @return the address
	 */
	public String hostAndPort() {
		return ((this.host.indexOf(':') >= 0) ? "[" + this.host + "]" : this.host) + ":" + this.port;
	}

	/**
	 * Reads an {@code amqp_uri}. Errors quote nothing that may be part of a password: the scheme
	 * only when {@code //} follows it, never the port (a password holding {@code /}, {@code ?} or
	 * {@code #} unencoded ends the authority early, and what follows its {@code :} reads as a port).
	 * @param uri the URI
	 * @return the address
	 * @throws IllegalArgumentException naming the scheme when it is not one kombu uses for RabbitMQ,
	 * or saying what is wrong with the port or where an {@code @} is
	 */
	public static AmqpAddress of(URI uri) {
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		boolean tls = TLS_SCHEMES.contains(scheme);
		if (!tls && !PLAIN_SCHEMES.contains(scheme)) {
			String named = (uri.getRawSchemeSpecificPart().startsWith("//")) ? " '" + scheme + "'" : "";
			throw new IllegalArgumentException("amqp_uri scheme" + named + " is not supported: use one of "
					+ String.join(", ", PLAIN_SCHEMES) + " (or " + String.join(", ", TLS_SCHEMES) + " for TLS)");
		}
		// the authority by hand: java.net.URI gives no host for names with '_', which kombu accepts
		String authority = (uri.getRawAuthority() != null) ? uri.getRawAuthority() : "";
		// an '@' after the host is the user information's own when a password's '/', '?' or '#' ended the authority
		if (Stream.of(uri.getRawPath(), uri.getRawQuery(), uri.getRawFragment())
			.anyMatch((part) -> part != null && part.indexOf('@') >= 0)) {
			throw new IllegalArgumentException("amqp_uri has an '@' after its host: percent-encode '/', '?' and '#' "
					+ "in the user and password (%2F, %3F, %23) and '@' in the virtual host (%40)");
		}
		int at = authority.lastIndexOf('@');
		String userInfo = (at < 0) ? null : authority.substring(0, at);
		String hostPort = authority.substring(at + 1);
		String host = hostPort;
		int port = tls ? 5671 : 5672;
		int colon = hostPort.lastIndexOf(':');
		if (colon >= 0 && colon > hostPort.lastIndexOf(']')) {
			host = hostPort.substring(0, colon);
			port = port(hostPort.substring(colon + 1), port);
		}
		host = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : decode(host);
		if (host.isEmpty()) {
			host = "localhost";
		}
		String username = "guest";
		String password = "guest";
		if (userInfo != null) {
			int separator = userInfo.indexOf(':');
			username = decode((separator < 0) ? userInfo : userInfo.substring(0, separator));
			password = (separator < 0) ? "" : decode(userInfo.substring(separator + 1));
		}
		String path = (uri.getRawPath() != null) ? uri.getRawPath() : "";
		String virtualHost = path.startsWith("/") ? decode(path.substring(1)) : decode(path);
		return new AmqpAddress(tls, host, port, username, password, virtualHost.isEmpty() ? "/" : virtualHost);
	}

	/** The port after the host's {@code :}, never quoted (see {@link #of}); none ({@code host:/}) is the default. */
	private static int port(String text, int defaultPort) {
		if (text.isEmpty()) {
			return defaultPort;
		}
		int port = -1;
		if (text.length() <= 5 && text.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			port = Integer.parseInt(text);
		}
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException("amqp_uri port is not a number from 1 to 65535; if the password holds "
					+ "'/', '?', '#', ';' or ',', percent-encode them (%2F, %3F, %23, %3B, %2C)");
		}
		return port;
	}

	private static String decode(String text) {
		// kombu unquotes with urllib: '+' stays a plus
		return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		String vhost = "/" + this.virtualHost.replace("%", "%25").replace("/", "%2F");
		return (this.tls ? "amqps" : "amqp") + "://" + this.username + ":***@" + hostAndPort() + vhost;
	}

}

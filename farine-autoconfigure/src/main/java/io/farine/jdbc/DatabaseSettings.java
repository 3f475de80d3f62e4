package io.farine.jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One database, from a section's {@code db_*} keys: where PostgreSQL is and how the pool
 * behaves. Its {@code toString} masks the password.
 *
 * @param host {@code db_host}
 * @param port {@code db_port}
 * @param name {@code db_name}
 * @param user {@code db_user}
 * @param password {@code db_password}
 * @param maxConn {@code db_max_conn}, or {@code null} for the pool's default
 * @param staleTimeout {@code db_stale_timeout}, or {@code null} for the pool's default
 * @param timeout {@code db_timeout}, or {@code null} for the pool's default
 */
record DatabaseSettings(String host, int port, String name, String user, String password, @Nullable Integer maxConn,
		@Nullable Duration staleTimeout, @Nullable Duration timeout) {

	/** The PostgreSQL JDBC URL of the database. */
	String jdbcUrl() {
		String address = (this.host.indexOf(':') >= 0 && !this.host.startsWith("[")) ? "[" + this.host + "]" : this.host;
		return "jdbc:postgresql://" + address + ":" + this.port + "/" + this.name;
	}

	/** The keys whose values differ from another's, by name; never the values themselves. */
	List<String> differences(DatabaseSettings other) {
		List<String> keys = new ArrayList<>();
		differ(keys, "db_host", this.host, other.host);
		differ(keys, "db_port", this.port, other.port);
		differ(keys, "db_name", this.name, other.name);
		differ(keys, "db_user", this.user, other.user);
		differ(keys, "db_password", this.password, other.password);
		differ(keys, "db_max_conn", this.maxConn, other.maxConn);
		differ(keys, "db_stale_timeout", this.staleTimeout, other.staleTimeout);
		differ(keys, "db_timeout", this.timeout, other.timeout);
		return keys;
	}

	private static void differ(List<String> keys, String key, @Nullable Object a, @Nullable Object b) {
		if (!Objects.equals(a, b)) {
			keys.add(key);
		}
	}

	@Override
	public String toString() {
		return "DatabaseSettings[" + jdbcUrl() + ", user=" + this.user + ", password=***, maxConn=" + this.maxConn
				+ ", staleTimeout=" + this.staleTimeout + ", timeout=" + this.timeout + "]";
	}

}

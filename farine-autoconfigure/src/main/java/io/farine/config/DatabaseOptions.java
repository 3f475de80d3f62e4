package io.farine.config;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The {@code db_*} keys of one section as bound, not yet checked: {@link ServiceOptions#database()}
 * for a section alone, {@link FarineProperties#database(String)} for a service's keys over
 * {@code [DEFAULT]}'s. They are declared here, once, with the other options; the jdbc package
 * checks the running services' and makes the DataSource from them: {@code [DEFAULT]}'s, and a pool
 * for each running service whose keys name another database.
 *
 * @param connector {@code db_connector}
 * @param name {@code db_name}
 * @param user {@code db_user}
 * @param host {@code db_host}
 * @param password {@code db_password}
 * @param port {@code db_port}
 * @param maxConn {@code db_max_conn}
 * @param staleTimeout {@code db_stale_timeout}
 * @param timeout {@code db_timeout}
 */
public record DatabaseOptions(@Nullable String connector, @Nullable String name, @Nullable String user,
		@Nullable String host, @Nullable String password, @Nullable Integer port, @Nullable Integer maxConn,
		@Nullable Duration staleTimeout, @Nullable Duration timeout) {

	/**
	 * These keys, each inheriting the one of another section where it is not set.
	 * @param defaults the keys of {@code [DEFAULT]}
	 * @return the keys in effect
	 */
	public DatabaseOptions over(DatabaseOptions defaults) {
		return new DatabaseOptions(pick(this.connector, defaults.connector), pick(this.name, defaults.name),
				pick(this.user, defaults.user), pick(this.host, defaults.host), pick(this.password, defaults.password),
				pick(this.port, defaults.port), pick(this.maxConn, defaults.maxConn),
				pick(this.staleTimeout, defaults.staleTimeout), pick(this.timeout, defaults.timeout));
	}

	/**
	 * Whether any {@code db_*} key is set.
	 * @return {@code true} if one is
	 */
	public boolean any() {
		return this.connector != null || this.name != null || this.user != null || this.host != null
				|| this.password != null || this.port != null || this.maxConn != null || this.staleTimeout != null
				|| this.timeout != null;
	}

	private static <T> @Nullable T pick(@Nullable T own, @Nullable T inherited) {
		return (own != null) ? own : inherited;
	}

	/** The password stays out of logs and reports. */
	@Override
	public String toString() {
		return "DatabaseOptions[host=" + this.host + ", port=" + this.port + ", name=" + this.name + ", user="
				+ this.user + ", password=" + ((this.password != null) ? "***" : null) + "]";
	}

}

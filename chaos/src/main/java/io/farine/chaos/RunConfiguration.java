package io.farine.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.stream.Collectors;

import io.farine.test.EtcdProcess;
import io.farine.test.TcpProxy;

/**
 * The service's {@code farine.ini} for the run: every broker node and PostgreSQL through the
 * run's proxies (so their connections can be cut), quorum queues (a node may stop), the run's own
 * database, virtual host and etcd. Everything else is the sample's default.
 */
final class RunConfiguration {

	private RunConfiguration() {
	}

	static Path write(Path directory, Collection<TcpProxy> brokerProxies, TcpProxy postgresProxy, EtcdProcess etcd)
			throws IOException {
		String nodes = brokerProxies.stream()
			.map((proxy) -> "amqp://guest:guest@127.0.0.1:" + proxy.port() + "/" + ClusterVhost.NAME)
			.collect(Collectors.joining(";"));
		Path ini = directory.resolve("farine.ini");
		Files.writeString(ini, """
				# written by the chaos run (scripts/chaos.sh): the database sample on the farine-a/b/c cluster
				[DEFAULT]
				# farine-a, farine-b and farine-c, each through a TCP proxy of the run
				amqp_uri = %s
				# replicated on the three nodes: one may stop without losing a message
				queue_type = quorum
				amqp_wait_at_start = 60
				db_connector = postgres
				db_host = 127.0.0.1
				# the machine's PostgreSQL, through a TCP proxy of the run
				db_port = %d
				db_name = %s
				db_user = postgres
				db_password =
				db_max_conn = 5
				etcd_endpoints = %s

				[users]
				""".formatted(nodes, postgresProxy.port(), RunDatabase.NAME, etcd.endpoint()));
		return ini;
	}

}

package io.farine.chaos;

/** The kinds of fault the run injects, each at least twice (once with {@code --quick}). */
enum Fault {

	/** A node of the cluster, drawn from the seed, stopped ({@code stop_app}) and started again. */
	RABBIT_NODE("RabbitMQ node stopped and started"),

	/** The node the service has most connections to, stopped and started again. */
	SERVICE_NODE("the service's RabbitMQ node stopped and started"),

	/** The machine's PostgreSQL restarted ({@code pg_ctlcluster ... restart}). */
	POSTGRES("PostgreSQL restarted"),

	/** The run's etcd killed with SIGKILL, then started again on its data. */
	ETCD("etcd killed and restarted"),

	/** Every connection through the proxies (service to broker, service to PostgreSQL) cut. */
	TCP_CUT("TCP connections cut (broker and PostgreSQL)"),

	/** The service killed with SIGKILL, then started again. */
	SERVICE_KILL("service killed (SIGKILL) and started again");

	private final String description;

	Fault(String description) {
		this.description = description;
	}

	String description() {
		return this.description;
	}

}

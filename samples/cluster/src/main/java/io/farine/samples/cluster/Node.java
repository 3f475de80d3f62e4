package io.farine.samples.cluster;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.farine.cluster.ClusterEvent;
import io.farine.cluster.OnEvent;
import io.farine.cluster.OnQuery;
import io.farine.registry.EtcdServiceRegistry;
import io.farine.service.FarineService;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/** Service {@code node}: answers {@code status} with its instance and uptime, logs every event. */
@Component
@FarineService("node")
public class Node {

	private static final Log logger = LogFactory.getLog(Node.class);

	private final EtcdServiceRegistry registry;

	private final List<String> events = new CopyOnWriteArrayList<>();

	public Node(EtcdServiceRegistry registry) {
		this.registry = registry;
	}

	@OnQuery("status")
	public Map<String, Object> status(Map<String, Object> asked) {
		return Map.of("instance", this.registry.instanceId(), "uptime_ms",
				ManagementFactory.getRuntimeMXBean().getUptime());
	}

	@OnEvent("*")
	public void event(Object payload, ClusterEvent event) {
		this.events.add(event.name());
		logger.info("Event '" + event.name() + "' from " + event.sender() + ": " + payload);
	}

	/**
	 * This instance's id, for the sample's test.
	 * @return the id
	 */
	public String instance() {
		return this.registry.instanceId();
	}

	/**
	 * The names of the events received, for the sample's test.
	 * @return the names, in order
	 */
	public List<String> events() {
		return this.events;
	}

}

package io.farine.registry;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import io.farine.config.FarineProperties;
import io.farine.config.RegistrySettings;
import io.farine.service.ServiceEndpoints;

import org.springframework.core.env.Environment;

/**
 * What this process announces about itself: the services it runs (those with an entry point
 * that are enabled and started) and, for each, the {@link ServiceInstance} a registry publishes,
 * from the service's registry keys. Shared by the etcd registry and farine-dev's in-process one,
 * so both describe an instance the same way.
 * <p>
 * Not part of farine's API: public because farine-dev's in-process registry describes this process
 * with it.
 */
public final class LocalInstances {

	private final ServiceEndpoints endpoints;

	private final FarineProperties properties;

	private final Environment environment;

	private final String instanceId;

	/**
	 * Creates the description of this process.
	 * @param endpoints the discovered entry points
	 * @param properties the configuration
	 * @param environment for the web server's port and the application's version
	 * @param instanceId this process's instance id
	 */
	public LocalInstances(ServiceEndpoints endpoints, FarineProperties properties, Environment environment,
			String instanceId) {
		this.endpoints = endpoints;
		this.properties = properties;
		this.environment = environment;
		this.instanceId = instanceId;
	}

	/**
	 * The services this process runs, sorted.
	 * @return their names
	 */
	public Set<String> services() {
		return this.endpoints.runningServices();
	}

	/**
	 * The instance of a service this process registers.
	 * @param service the service
	 * @param defaultHost the host when the service sets no {@code host} key
	 * @param started when this process started
	 * @return the instance
	 */
	public ServiceInstance instance(String service, String defaultHost, Instant started) {
		RegistrySettings registry = this.properties.registry(service);
		Integer port = (registry.port() != null) ? registry.port()
				: this.environment.getProperty("local.server.port", Integer.class);
		return new ServiceInstance(service, this.instanceId, (registry.host() != null) ? registry.host() : defaultHost,
				port, registry.mode(), registry.subdomain(), registry.uri(), registry.servicePort(), registry.priority(),
				registry.weight(), registry.tags(), entryPoints(service),
				this.environment.getProperty("spring.application.version"), started.toString(), ServiceInstance.ALIVE,
				registry.category());
	}

	/**
	 * The tags a service is configured with.
	 * @param service the service
	 * @return its {@code tags} key
	 */
	List<String> configuredTags(String service) {
		return this.properties.registry(service).tags();
	}

	private ServiceInstance.EntryPoints entryPoints(String service) {
		List<String> rpc = this.endpoints.rpcMethods()
			.stream()
			.filter((endpoint) -> endpoint.service().equals(service))
			.map((endpoint) -> endpoint.name())
			.sorted()
			.toList();
		List<String> queues = this.endpoints.consumers()
			.stream()
			.filter((endpoint) -> endpoint.service().equals(service))
			.map((endpoint) -> endpoint.queue())
			.sorted()
			.toList();
		return new ServiceInstance.EntryPoints(rpc, queues);
	}

	/**
	 * The machine's address others reach it at: a site-local IPv4 address of an up interface, if any.
	 * @return the address, {@code 127.0.0.1} when none can be found
	 */
	public static String routableAddress() {
		try {
			InetAddress fallback = null;
			for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
				if (!network.isUp() || network.isLoopback() || network.isVirtual()) {
					continue;
				}
				for (InetAddress address : Collections.list(network.getInetAddresses())) {
					if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
						if (address.isSiteLocalAddress()) {
							return address.getHostAddress();
						}
						fallback = (fallback != null) ? fallback : address;
					}
				}
			}
			return ((fallback != null) ? fallback : InetAddress.getLocalHost()).getHostAddress();
		}
		catch (Exception ex) {
			return "127.0.0.1";
		}
	}

}

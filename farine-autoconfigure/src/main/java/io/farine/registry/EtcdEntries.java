package io.farine.registry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;

import io.farine.config.FarineProperties;
import io.farine.config.RegistrySettings;

/**
 * What the etcd registry writes for this process: the one etcd its running services agree on,
 * and the key and JSON value of each registration ({@code <prefix>/<service>/<instance id>}),
 * plus a SkyDNS record where a service asks for one.
 */
final class EtcdEntries {

	private final LocalInstances local;

	private final FarineProperties properties;

	private final ObjectMapper mapper;

	private final String instanceId;

	private final Instant startTime;

	EtcdEntries(LocalInstances local, FarineProperties properties, ObjectMapper mapper, String instanceId,
			Instant startTime) {
		this.local = local;
		this.properties = properties;
		this.mapper = mapper;
		this.instanceId = instanceId;
		this.startTime = startTime;
	}

	/**
	 * The one etcd connection the running services agree on.
	 * @return it, or {@code null} when none is configured: the registry is off
	 * @throws IllegalStateException if services name different ones
	 */
	RegistrySettings.@Nullable Etcd connection() {
		Set<RegistrySettings.Etcd> configured = new LinkedHashSet<>();
		RegistrySettings.Etcd defaults = this.properties.registry("").etcd();
		if (defaults.configured()) {
			configured.add(defaults);
		}
		for (String service : this.local.services()) {
			RegistrySettings.Etcd own = this.properties.registry(service).etcd();
			if (own.configured()) {
				configured.add(own);
			}
		}
		if (configured.size() > 1) {
			throw new IllegalStateException("Services of this application name different etcd settings (" + configured
					+ "); one process registers on one etcd with one lease: set the etcd_* and registry_* keys in "
					+ "[DEFAULT], or give every service the same values.");
		}
		return configured.isEmpty() ? null : configured.iterator().next();
	}

	/**
	 * The keys and values to write, on one lease.
	 * @param settings the etcd settings (the prefix)
	 * @param tags tags set while running, by service, in place of the configured ones
	 * @param status {@link ServiceInstance#ALIVE} or {@link ServiceInstance#LEAVING}
	 * @return key to JSON value
	 */
	Map<String, String> entries(RegistrySettings.Etcd settings, Map<String, List<String>> tags, String status) {
		Map<String, String> entries = new LinkedHashMap<>();
		for (String service : this.local.services()) {
			entries.putAll(entries(settings, with(
					this.local.instance(service, LocalInstances.routableAddress(), this.startTime), tags.get(service),
					status)));
		}
		return entries;
	}

	/**
	 * The keys and values of one instance: its registration and, where its service asks for one
	 * ({@code skydns_domain}), its SkyDNS record.
	 * @param settings the etcd settings (the prefix)
	 * @param instance the instance, this process's or a backend's
	 * @return key to JSON value
	 */
	Map<String, String> entries(RegistrySettings.Etcd settings, ServiceInstance instance) {
		Map<String, String> entries = new LinkedHashMap<>();
		String service = instance.service();
		entries.put(settings.prefix() + "/" + service + "/" + instance.instanceId(),
				this.mapper.writeValueAsString(instance));
		RegistrySettings registry = this.properties.registry(service);
		if (registry.skydnsDomain() != null && !registry.skydnsDomain().isBlank()) {
			Map<String, Object> record = new LinkedHashMap<>();
			record.put("host", instance.host());
			if (instance.port() != null) {
				record.put("port", instance.port());
			}
			record.put("priority", instance.priority());
			record.put("weight", instance.weight());
			String category = ServiceInstance.Backend.category(instance.category(), "category");
			entries.put(skydnsKey(registry.skydnsDomain(), category, service, instance.instanceId()),
					this.mapper.writeValueAsString(record));
		}
		return entries;
	}

	private static ServiceInstance with(ServiceInstance instance, @Nullable List<String> tags, String status) {
		return new ServiceInstance(instance.service(), instance.instanceId(), instance.host(), instance.port(),
				instance.mode(), instance.subdomain(), instance.uri(), instance.servicePort(), instance.priority(),
				instance.weight(), (tags != null) ? tags : instance.tags(), instance.entryPoints(), instance.version(),
				instance.startTime(), status, instance.category());
	}

	/**
	 * {@code /skydns/<domain labels reversed>/<category labels reversed>/<service>/<id>}, the skyapi
	 * layout: category {@code services,production} under {@code farine.local} is
	 * {@code <service>.services.production.farine.local}.
	 */
	static String skydnsKey(String domain, String category, String service, String instanceId) {
		List<String> labels = new ArrayList<>(List.of(domain.strip().replaceAll("\\.$", "").split("\\.")));
		labels.addAll(0, List.of(category.split("[,.]")));
		Collections.reverse(labels);
		return "/skydns/" + String.join("/", labels) + "/" + service + "/" + instanceId;
	}

}

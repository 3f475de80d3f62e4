package io.farine.autoconfigure;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.farine.config.FarineProperties;
import io.farine.config.UnknownServiceException;
import io.farine.service.ServiceEndpoints;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Checks the configuration against the application once every bean is created, before anything
 * connects: every service's settings must be valid (a zero delay would spin, a zero grace hang),
 * and {@code --start} must name services this application has (a typo would start a process
 * that quietly serves nothing).
 */
final class ConfigurationCheck implements SmartInitializingSingleton {

	private final FarineProperties properties;

	private final ServiceEndpoints endpoints;

	ConfigurationCheck(FarineProperties properties, ServiceEndpoints endpoints) {
		this.properties = properties;
		this.endpoints = endpoints;
	}

	@Override
	public void afterSingletonsInstantiated() {
		Set<String> known = new TreeSet<>(this.endpoints.services());
		known.addAll(this.properties.services().keySet());
		for (String service : known) {
			// each throws InvalidSettingException, naming the key
			this.properties.service(service);
			this.properties.registry(service);
		}
		List<String> unknown = this.properties.start()
			.stream()
			.map(String::strip)
			.filter((name) -> !name.isEmpty() && !known.contains(name))
			.toList();
		if (!unknown.isEmpty()) {
			throw new UnknownServiceException(unknown, known);
		}
	}

}

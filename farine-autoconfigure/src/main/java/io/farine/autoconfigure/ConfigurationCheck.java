package io.farine.autoconfigure;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.farine.config.FarineProperties;
import io.farine.config.IniPropertySource;
import io.farine.config.UnknownServiceException;
import io.farine.service.ServiceEndpoints;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.env.Environment;

/**
 * Checks the configuration against the application once every bean is created, before anything
 * connects: every service's settings must be valid (a zero delay would spin, a zero grace hang),
 * and {@code --start} must name services this application has (a typo would start a process
 * that quietly serves nothing).
 */
final class ConfigurationCheck implements SmartInitializingSingleton {

	private final FarineProperties properties;

	private final ServiceEndpoints endpoints;

	private final Environment environment;

	ConfigurationCheck(FarineProperties properties, ServiceEndpoints endpoints, Environment environment) {
		this.properties = properties;
		this.endpoints = endpoints;
		this.environment = environment;
	}

	@Override
	public void afterSingletonsInstantiated() {
		// a bean with any farine member, a section with settings, and an INI section even when empty
		Set<String> known = new TreeSet<>(this.endpoints.services());
		known.addAll(this.properties.services().keySet());
		known.addAll(IniPropertySource.sections(this.environment));
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

package io.farine.autoconfigure;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.farine.config.FarineProperties;
import io.farine.config.UnknownServiceException;
import io.farine.service.ServiceEndpoints;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Refuses a {@code --start} naming no service of this application, once every bean is created:
 * such a typo would otherwise start a process that quietly serves nothing.
 */
final class StartCheck implements SmartInitializingSingleton {

	private final FarineProperties properties;

	private final ServiceEndpoints endpoints;

	StartCheck(FarineProperties properties, ServiceEndpoints endpoints) {
		this.properties = properties;
		this.endpoints = endpoints;
	}

	@Override
	public void afterSingletonsInstantiated() {
		Set<String> known = new TreeSet<>(this.endpoints.services());
		known.addAll(this.properties.services().keySet());
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

package io.farine.registry;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The registry's state as a health indicator ({@code farineRegistry}): up while registered, down
 * while etcd does not answer and the process is registering (again), with the etcd endpoints and
 * the instance id.
 */
final class RegistryHealthIndicator implements HealthIndicator {

	private final EtcdServiceRegistry registry;

	/**
	 * Creates the indicator.
	 * @param registry the registry
	 */
	RegistryHealthIndicator(EtcdServiceRegistry registry) {
		this.registry = registry;
	}

	@Override
	public Health health() {
		RegistryState state = this.registry.state();
		Health.Builder builder = switch (state) {
			case REGISTERED, OFF -> Health.up();
			case REGISTERING, STOPPED -> Health.down();
		};
		builder.withDetail("state", state.name());
		String etcd = this.registry.etcdDescription();
		if (etcd != null) {
			builder.withDetail("etcd", etcd).withDetail("instanceId", this.registry.instanceId());
		}
		return builder.build();
	}

}

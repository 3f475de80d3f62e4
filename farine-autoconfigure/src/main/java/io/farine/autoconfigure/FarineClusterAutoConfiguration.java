package io.farine.autoconfigure;

import io.farine.service.ServiceEndpoints;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Import;

/**
 * The cluster: {@code @OnEvent} and {@code @OnQuery} methods, {@code FarineEvents} and
 * {@code FarineQueries}. Apart from {@link FarineAutoConfiguration} and after it, so its beans
 * see the registry's instance id; off when farine's own auto-configuration is (excluded, as an
 * application using only Spring AMQP does).
 */
@AutoConfiguration(after = FarineAutoConfiguration.class)
@ConditionalOnBean(ServiceEndpoints.class)
@Import(FarineClusterAutoConfiguration.Cluster.class)
public final class FarineClusterAutoConfiguration {

	static final class Cluster extends ImportByName {

		Cluster() {
			super("io.farine.cluster.ClusterConfiguration");
		}

	}

}

package io.farine.cluster;

import io.farine.amqp.BrokerConnections;
import io.farine.amqp.Wire;
import io.farine.config.FarineProperties;
import io.farine.observation.FarineObservations;
import io.farine.registry.EtcdServiceRegistry;
import io.farine.registry.ServiceRegistry;
import io.farine.service.FarineInstance;
import io.farine.service.HandlerInvoker;
import io.farine.service.JsonCodec;
import io.farine.service.ServiceEndpoints;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The cluster's codecs and runtime, {@link FarineEvents} and {@link FarineQueries}; imported by
 * {@code FarineClusterAutoConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {


	@Bean
	@ConditionalOnMissingBean
	ClusterCodecs farineClusterCodecs(FarineProperties properties, JsonCodec codec,
			ObjectProvider<ClusterCodec> application) {
		return new ClusterCodecs(properties, codec, application.orderedStream().toList());
	}

	@Bean
	ClusterArguments.Factory farineClusterArguments(ObjectProvider<ClusterCodecs> codecs) {
		return new ClusterArguments.Factory(codecs::getObject);
	}

	@Bean
	@ConditionalOnMissingBean
	ClusterRuntime farineClusterRuntime(ServiceEndpoints services, FarineProperties properties,
			BrokerConnections brokers, HandlerInvoker invoker, JsonCodec codec, ClusterCodecs codecs,
			ObjectProvider<EtcdServiceRegistry> registry, FarineObservations observations,
			ObjectProvider<FarineInstance> instance) {
		EtcdServiceRegistry etcd = registry.getIfAvailable();
		return new ClusterRuntime(services, properties, brokers, invoker, codec, codecs,
				instance.getIfAvailable(() -> new FarineInstance((etcd != null) ? etcd.instanceId() : Wire.newId())).id(),
				(etcd != null) ? etcd::tags : (service) -> properties.registry(service).tags(), observations);
	}

	@Bean
	@ConditionalOnMissingBean
	FarineEvents farineEvents(ClusterRuntime runtime) {
		return new FarineEvents(runtime);
	}

	@Bean
	@ConditionalOnMissingBean
	FarineQueries farineQueries(ClusterRuntime runtime, ObjectProvider<ServiceRegistry> registry) {
		return new FarineQueries(runtime, registry::getIfAvailable);
	}

}

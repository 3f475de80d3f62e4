package io.farine.autoconfigure;

import java.util.function.Function;

import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.json.JsonMapper;

import io.farine.amqp.BrokerConnections;
import io.farine.amqp.Publisher;
import io.farine.amqp.Wire;
import io.farine.config.FarineProperties;
import io.farine.execute.ExecuteMethods;
import io.farine.observation.FarineObservations;
import io.farine.rpc.RpcClientFactory;
import io.farine.registry.EtcdServiceRegistry;
import io.farine.service.ArgumentResolverFactory;
import io.farine.service.FarineInstance;
import io.farine.service.FarineThreads;
import io.farine.service.HandlerInvoker;
import io.farine.service.JsonCodec;
import io.farine.service.PublishEndpoint;
import io.farine.service.ServiceEndpoints;
import io.farine.sse.SseListeners;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.task.SimpleAsyncTaskExecutorBuilder;
import org.springframework.boot.task.ThreadPoolTaskSchedulerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Auto-configuration of farine: discovers annotated service beans and runs their AMQP entry
 * points. Main beans: {@link ServiceEndpoints} (what was discovered), {@link HandlerInvoker} (how
 * handlers are called, each call in a transaction when the application has a database),
 * {@link JsonCodec} (every JSON conversion), {@link BrokerConnections} (one broker per
 * {@code amqp_uri} and TLS settings), {@code AmqpRuntime} (publishers and consumers),
 * {@code RpcServer} ({@code @RpcMethod}s) and {@link RpcClientFactory} ({@code @RpcClient}s, one
 * bean per client interface in the application's packages), {@code SseRunner}
 * ({@code @SseListener}s, their state as {@link SseListeners}) and {@code ExecuteRunner}
 * ({@code @Execute}, their state as {@link ExecuteMethods}).
 */
@AutoConfiguration(after = JacksonAutoConfiguration.class)
@EnableConfigurationProperties(FarineProperties.class)
@Import({ RpcClientScanRegistrar.class, FarineAutoConfiguration.Capabilities.class })
public final class FarineAutoConfiguration {

	/** The capabilities' own configurations, in the order their beans are defined. */
	static final class Capabilities extends ImportByName {

		Capabilities() {
			super("io.farine.amqp.AmqpConfiguration", "io.farine.rpc.RpcConfiguration",
					"io.farine.registry.RegistryConfiguration", "io.farine.sse.SseConfiguration",
					"io.farine.execute.ExecuteConfiguration", "io.farine.jdbc.ServiceDataSourceConfiguration");
		}

	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static ServiceEndpoints farineServiceEndpoints(ObjectProvider<FarineProperties> properties) {
		return new ServiceEndpoints((service) -> properties.getObject().runs(service));
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static FarineAnnotationBeanPostProcessor farineAnnotationBeanPostProcessor(
			ConfigurableListableBeanFactory beanFactory, ObjectProvider<ServiceEndpoints> endpoints,
			ObjectProvider<HandlerInvoker> invoker, ObjectProvider<Function<PublishEndpoint, Publisher>> amqp,
			ObjectProvider<RpcClientFactory> rpcClients, ObjectProvider<ArgumentResolverFactory> arguments) {
		return new FarineAnnotationBeanPostProcessor(beanFactory, endpoints.getObject(), invoker::getObject,
				amqp::getObject, rpcClients::getObject,
				new EndpointArguments(() -> arguments.orderedStream().toList()));
	}

	@Bean
	static ConfigurationCheck farineConfigurationCheck(FarineProperties properties, ServiceEndpoints endpoints,
			Environment environment) {
		return new ConfigurationCheck(properties, endpoints, environment);
	}

	@Bean
	@ConditionalOnMissingBean
	JsonCodec farineJsonCodec(ObjectProvider<JsonMapper> mapper) {
		return new JsonCodec(mapper.getIfAvailable(JsonMapper::new));
	}

	@Bean
	@ConditionalOnMissingBean
	HandlerInvoker farineHandlerInvoker(JsonCodec codec, ObjectProvider<PlatformTransactionManager> transactions,
			FarineProperties properties) {
		return new HandlerInvoker(codec, transactions::getIfUnique,
				(service) -> properties.service(service).dbTransaction());
	}

	@Bean
	@ConditionalOnMissingBean
	FarineObservations farineObservations(ObjectProvider<ObservationRegistry> registry) {
		return new FarineObservations(registry.getIfUnique(() -> ObservationRegistry.NOOP));
	}

	/** The registry's instance id when there is a registry, so a sender's id is the one it registers under. */
	@Bean
	@ConditionalOnMissingBean
	FarineInstance farineInstance(ObjectProvider<EtcdServiceRegistry> registry) {
		EtcdServiceRegistry etcd = registry.getIfAvailable();
		return new FarineInstance((etcd != null) ? etcd.instanceId() : Wire.newId());
	}

	@Bean
	@ConditionalOnMissingBean
	FarineThreads farineThreads(ObjectProvider<SimpleAsyncTaskExecutorBuilder> executors,
			ObjectProvider<ThreadPoolTaskSchedulerBuilder> schedulers) {
		return new FarineThreads(executors.getIfAvailable(SimpleAsyncTaskExecutorBuilder::new),
				schedulers.getIfAvailable(ThreadPoolTaskSchedulerBuilder::new));
	}

}

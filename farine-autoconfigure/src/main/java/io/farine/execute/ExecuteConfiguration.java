package io.farine.execute;

import io.farine.config.FarineProperties;
import io.farine.observation.FarineObservations;
import io.farine.service.FarineThreads;
import io.farine.service.HandlerInvoker;
import io.farine.service.ServiceEndpoints;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The runner of the application's {@code @Execute} methods; imported by {@code FarineAutoConfiguration}. */
@Configuration(proxyBeanMethods = false)
class ExecuteConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ExecuteRunner farineExecuteRunner(ServiceEndpoints endpoints, FarineProperties properties,
			HandlerInvoker invoker, FarineObservations observations, FarineThreads threads) {
		return new ExecuteRunner(endpoints, properties, invoker, observations, threads, ExecuteRunner::restartBackOff);
	}

}

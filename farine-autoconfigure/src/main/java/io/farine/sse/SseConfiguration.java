package io.farine.sse;

import io.farine.config.FarineProperties;
import io.farine.observation.FarineObservations;
import io.farine.service.FarineThreads;
import io.farine.service.HandlerInvoker;
import io.farine.service.JsonCodec;
import io.farine.service.ServiceEndpoints;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/** The runner of the application's {@code @SseListener}s; imported by {@code FarineAutoConfiguration}. */
@Configuration(proxyBeanMethods = false)
class SseConfiguration {

	@Bean
	SseArguments.Factory farineSseArguments(JsonCodec codec) {
		return new SseArguments.Factory(codec);
	}

	@Bean
	@ConditionalOnMissingBean
	SseRunner farineSseRunner(ServiceEndpoints endpoints, FarineProperties properties, HandlerInvoker invoker,
			ObjectProvider<WebClient.Builder> webClient, FarineObservations observations, FarineThreads threads) {
		return new SseRunner(endpoints, properties, invoker, () -> webClient.getIfAvailable(WebClient::builder).build(),
				observations, threads);
	}

}

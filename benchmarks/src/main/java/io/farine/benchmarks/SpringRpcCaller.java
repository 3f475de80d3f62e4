package io.farine.benchmarks;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.springframework.amqp.rabbit.AsyncRabbitTemplate;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code RabbitTemplate.convertSendAndReceive} and {@code AsyncRabbitTemplate}, both on direct reply-to (their defaults). */
final class SpringRpcCaller implements Rpc.Caller {

	private final String queue = Contexts.unique("bench-rpc-spring");

	private final ConfigurableApplicationContext server;

	private final ConfigurableApplicationContext client;

	private final RabbitTemplate template;

	private final AsyncRabbitTemplate asyncTemplate;

	SpringRpcCaller() throws Exception {
		Broker.declareDurable(this.queue);
		this.server = Contexts.springAmqp(SpringServer.class, "bench.queue=" + this.queue);
		this.client = Contexts.springAmqp(SpringClient.class);
		this.template = this.client.getBean(RabbitTemplate.class);
		this.asyncTemplate = this.client.getBean(AsyncRabbitTemplate.class);
	}

	@Override
	public String name() {
		return "spring-amqp";
	}

	@Override
	public void call(int i) {
		Rpc.check(i, this.template.convertSendAndReceive("", this.queue, List.of(i, 1)));
	}

	@Override
	public CompletableFuture<?> callAsync(int i) {
		return this.asyncTemplate.convertSendAndReceive("", this.queue, List.of(i, 1));
	}

	@Override
	public void close() {
		this.client.close();
		this.server.close();
		Broker.delete(this.queue);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class SpringServer {

		@Bean
		MessageConverter jsonConverter() {
			return new JacksonJsonMessageConverter();
		}

		@Bean
		Adder adder() {
			return new Adder();
		}

	}

	static class Adder {

		@RabbitListener(queues = "${bench.queue}")
		int add(List<Integer> args) {
			return args.get(0) + args.get(1);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class SpringClient {

		@Bean
		MessageConverter jsonConverter() {
			return new JacksonJsonMessageConverter();
		}

		@Bean
		AsyncRabbitTemplate asyncRabbitTemplate(RabbitTemplate template) {
			return new AsyncRabbitTemplate(template);
		}

	}

}

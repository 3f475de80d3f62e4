package io.farine.contract;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.farine.amqp.Consume;
import io.farine.amqp.Publish;
import io.farine.amqp.Publisher;
import io.farine.cluster.ClusterEvent;
import io.farine.cluster.OnEvent;
import io.farine.cluster.OnQuery;
import io.farine.rpc.RpcArguments;
import io.farine.rpc.RpcMethod;
import io.farine.service.FarineService;
import io.farine.sse.SseListener;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Description;
import org.springframework.context.annotation.Import;

/**
 * An application with one endpoint of every kind, whose payloads hold records, a bean, a
 * cycle, collections, an enum, {@code Optional} and dates: the tests' subject. Its names come
 * from properties ({@code t.*}) so that each run has its own queues.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({ ContractApp.Shop.class, ContractApp.Feed.class })
class ContractApp {

	/** Whether an {@code ApplicationRunner} ran: {@link AsyncApiDocuments#main} stops before runners. */
	static final AtomicBoolean ran = new AtomicBoolean();

	public static void main(String[] args) {
		SpringApplication.run(ContractApp.class, args);
	}

	@Bean
	ApplicationRunner runner() {
		return (arguments) -> ran.set(true);
	}

	enum Status {
		NEW, PAID
	}

	record Line(@JsonProperty("sku_code") String sku, int quantity, long cents) {
	}

	record Order(String id, List<Line> lines, Status status, Optional<String> note, Instant placed, LocalDate due,
			Map<String, BigDecimal> prices, Customer customer) {
	}

	/** A bean whose property refers to its own type. */
	static final class Customer {

		private String name = "";

		private Customer referrer;

		@JsonPropertyDescription("The customer's full name")
		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

		public Customer getReferrer() {
			return this.referrer;
		}

		public void setReferrer(Customer referrer) {
			this.referrer = referrer;
		}

	}

	record Page<T>(List<T> items, int total) {
	}

	@JsonClassDescription("A product's price")
	record Price(String sku, double value) {
	}

	@FarineService("${t.service}")
	static class Shop {

		@Publish(exchange = "${t.exchange}", routingKey = "invoice")
		Publisher invoices;

		@Consume(exchange = "${t.exchange}", routingKey = "order", queue = "${t.queue}")
		@Description("Takes an order placed in the shop.")
		void onOrder(Order order) {
		}

		@RpcMethod
		@Description("The price of a quantity of a product.")
		BigDecimal quote(String sku, int quantity) {
			return BigDecimal.ONE;
		}

		@RpcMethod
		Stream<Line> lines(long orderId) {
			return Stream.empty();
		}

		@RpcMethod
		Flux<Order> orders(Status status) {
			return Flux.empty();
		}

		@RpcMethod
		Mono<Page<Order>> page(int number) {
			return Mono.empty();
		}

		@RpcMethod(streaming = true)
		List<Price> prices() {
			return List.of();
		}

		@RpcMethod
		void cancel(String id, Optional<String> reason) {
		}

		@RpcMethod
		Map<String, Object> echo(RpcArguments arguments) {
			return Map.of();
		}

		@OnEvent("deploy")
		void deploy(Map<String, Object> payload, ClusterEvent event) {
		}

		@OnQuery("status")
		Status status(Map<String, Object> asked) {
			return Status.NEW;
		}

	}

	@FarineService("${t.feed}")
	static class Feed {

		@SseListener(endpoint = "http://127.0.0.1:9/prices?token=secret", event = "price")
		void onPrice(Price price) {
		}

	}

}

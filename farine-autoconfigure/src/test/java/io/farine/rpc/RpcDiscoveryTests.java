package io.farine.rpc;

import io.farine.autoconfigure.FarineAutoConfiguration;
import io.farine.rpc.scan.ScannedClient;
import io.farine.rpc.scan.ScannedClients;
import io.farine.service.FarineService;
import io.farine.service.RpcEndpoint;
import io.farine.service.ServiceEndpoints;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Discovery of {@code @RpcMethod} and {@code @RpcClient}: descriptors, client beans and start-up
 * errors, with no broker (a server with a bad signature fails before it declares anything).
 */
class RpcDiscoveryTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class))
		.withPropertyValues("farine.defaults.amqp_uri=amqp://guest:guest@127.0.0.1:1");

	@Test
	void rpcMethodsBecomeEndpointsNamedAfterServiceAndMethod() {
		this.runner.withUserConfiguration(Prices.class)
			.withPropertyValues("farine.services.prices.enabled=false")
			.run((context) -> assertThat(context.getBean(ServiceEndpoints.class).rpcMethods())
				.extracting(RpcEndpoint::queue, RpcEndpoint::streaming, RpcEndpoint::concurrency)
				.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("prices__quote", false, 0),
						org.assertj.core.groups.Tuple.tuple("prices__all_lines", true, 4)));
	}

	@Test
	void streamingOnANonIterableResultFailsStartUp() {
		this.runner.withUserConfiguration(StreamingInt.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessage("@RpcMethod(streaming = true) StreamingInt.count returns int; a streaming method returns an "
						+ "Iterable, Stream, Iterator or Flux."));
	}

	@Test
	void rpcArgumentsBesideOtherParametersFailsStartUp() {
		this.runner.withUserConfiguration(MixedArguments.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("takes RpcArguments and other parameters"));
	}

	@Test
	void twoMethodsWithOneRpcNameFailStartUp() {
		this.runner.withUserConfiguration(SameName.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("are both RPC method 'quote' of service 'samename'"));
	}

	@Test
	void rpcOnAFanoutServiceFailsStartUpSayingWhatToSet() {
		this.runner.withUserConfiguration(Prices.class)
			.withPropertyValues("farine.services.prices.type=fanout")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("exchange type is fanout; RPC routes by key, so set type = direct"));
	}

	@Test
	void rpcClientOnAFieldOfAnotherTypeFailsStartUp() {
		this.runner.withUserConfiguration(WrongClientField.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("is annotated with @RpcClient but is of type java.lang.String"));
	}

	@Test
	void clientInterfacesInTheApplicationsPackagesBecomeBeans() {
		this.runner.withUserConfiguration(ScannedClients.class).run((context) -> {
			assertThat(context).hasSingleBean(ScannedClient.class);
			assertThat(context.getBean(ScannedClient.class)).hasToString("RpcClient[ScannedClient -> scanned]");
		});
	}

	@Test
	void aClientBeanTheApplicationDefinesWins() {
		this.runner.withUserConfiguration(ScannedClients.class, OwnClient.class).run((context) -> {
			assertThat(context).hasSingleBean(ScannedClient.class);
			assertThat(context.getBean(ScannedClient.class)).isSameAs(OwnClient.INSTANCE);
		});
	}

	@FarineService("prices")
	static class Prices {

		@RpcMethod
		int quote(String sku) {
			return 1;
		}

		@RpcMethod(name = "all_lines", streaming = true, concurrency = 4)
		java.util.List<String> lines() {
			return java.util.List.of();
		}

	}

	static class StreamingInt {

		@RpcMethod(streaming = true)
		int count() {
			return 1;
		}

	}

	static class MixedArguments {

		@RpcMethod
		void echo(RpcArguments arguments, int extra) {
		}

	}

	static class SameName {

		@RpcMethod
		int quote() {
			return 1;
		}

		@RpcMethod(name = "quote")
		int price() {
			return 2;
		}

	}

	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	static class OwnClient {

		static final ScannedClient INSTANCE = () -> 42;

		@org.springframework.context.annotation.Bean
		ScannedClient scannedClient() {
			return INSTANCE;
		}

	}

	static class WrongClientField {

		@RpcClient("prices")
		String prices;

	}

}

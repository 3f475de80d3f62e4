package io.farine;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import io.farine.config.FarineProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * farine's public types are the ones listed here, and no other: a type a user never names
 * (a runtime, a listener, a health contributor) is package-private, so a new public type is a
 * decision written down in this list. Scans the compiled {@code io.farine} classes.
 */
class PublicApiTests {

	/** What a user names: annotations, publishers and clients, events and queries, exceptions, properties. */
	private static final List<String> API = List.of(
			"io.farine.actuate.FarineEndpoint",
			"io.farine.amqp.BrokerUnreachableException",
			"io.farine.amqp.Consume",
			"io.farine.amqp.FarineMessage",
			"io.farine.amqp.Publish",
			"io.farine.amqp.PublishException",
			"io.farine.amqp.PublishOptions",
			"io.farine.amqp.Publisher",
			"io.farine.amqp.UnroutableMessageException",
			"io.farine.autoconfigure.FarineAutoConfiguration",
			"io.farine.autoconfigure.FarineClusterAutoConfiguration",
			"io.farine.autoconfigure.FarineEndpointAutoConfiguration",
			"io.farine.autoconfigure.FarineHealthAutoConfiguration",
			"io.farine.autoconfigure.FarineMetricsAutoConfiguration",
			"io.farine.autoconfigure.FarineOutboxAutoConfiguration",
			"io.farine.cluster.ClusterCodec",
			"io.farine.cluster.ClusterEvent",
			"io.farine.cluster.FarineEvents",
			"io.farine.cluster.FarineQueries",
			"io.farine.cluster.OnEvent",
			"io.farine.cluster.OnQuery",
			"io.farine.cluster.QueryAnswer",
			"io.farine.cluster.QueryOptions",
			"io.farine.config.DatabaseOptions",
			"io.farine.config.ExchangeType",
			"io.farine.config.FarineProperties",
			"io.farine.config.IniFileNotFoundException",
			"io.farine.config.IniSyntaxException",
			"io.farine.config.InvalidSettingException",
			"io.farine.config.ServiceOptions",
			"io.farine.config.UnknownServiceException",
			"io.farine.contract.AsyncApiDocuments",
			"io.farine.execute.Execute",
			"io.farine.execute.ExecuteMethods",
			"io.farine.execute.ExecuteState",
			"io.farine.observation.FarineObservation",
			"io.farine.registry.EtcdServiceRegistry",
			"io.farine.registry.MemberEvent",
			"io.farine.registry.MemberFilter",
			"io.farine.registry.OnMemberEvent",
			"io.farine.registry.RegistryListener",
			"io.farine.registry.RegistryState",
			"io.farine.registry.ServiceInstance",
			"io.farine.registry.ServiceRegistry",
			"io.farine.rpc.OneWay",
			"io.farine.rpc.RpcArguments",
			"io.farine.rpc.RpcCall",
			"io.farine.rpc.RpcClient",
			"io.farine.rpc.RpcClientFactory",
			"io.farine.rpc.RpcException",
			"io.farine.rpc.RpcMethod",
			"io.farine.rpc.RpcOperations",
			"io.farine.rpc.RpcRemoteException",
			"io.farine.rpc.RpcRequest",
			"io.farine.rpc.RpcTimeoutException",
			"io.farine.rpc.RpcUnroutableException",
			"io.farine.service.ArgumentConversionException",
			"io.farine.service.FarineInstance",
			"io.farine.service.FarineService",
			"io.farine.sse.SseListener",
			"io.farine.sse.SseListenerState",
			"io.farine.sse.SseListeners");

	/**
	 * Public only because another farine package (or farine-dev) uses them, as Java has no
	 * module-private visibility; each says so in its Javadoc ("Not part of farine's API").
	 */
	private static final List<String> PUBLIC_FOR_OTHER_PACKAGES = List.of(
			"io.farine.amqp.Broker",
			"io.farine.amqp.BrokerConnections",
			"io.farine.amqp.CorrelatedProperties",
			"io.farine.amqp.DeadLetter",
			"io.farine.amqp.DeadLetterQueues",
			"io.farine.amqp.DebugReports",
			"io.farine.amqp.DroppedMessages",
			"io.farine.amqp.Inbox",
			"io.farine.amqp.ListenerGroup",
			"io.farine.amqp.OutboundMessage",
			"io.farine.amqp.Outbox",
			"io.farine.amqp.Wire",
			"io.farine.config.AmqpAddress",
			"io.farine.config.IniPropertySource",
			"io.farine.config.RegistrySettings",
			"io.farine.config.ServiceSettings",
			"io.farine.observation.FarineObservations",
			"io.farine.registry.LocalInstances",
			"io.farine.service.ArgumentResolver",
			"io.farine.service.ArgumentResolverFactory",
			"io.farine.service.BatchTransactions",
			"io.farine.service.ConsumeEndpoint",
			"io.farine.service.EventEndpoint",
			"io.farine.service.ExecuteEndpoint",
			"io.farine.service.FarinePhases",
			"io.farine.service.FarineThreads",
			"io.farine.service.HandlerException",
			"io.farine.service.HandlerInvoker",
			"io.farine.service.HandlerMethod",
			"io.farine.service.InvocationTimings",
			"io.farine.service.JsonCodec",
			"io.farine.service.MemberEventEndpoint",
			"io.farine.service.PublishEndpoint",
			"io.farine.service.QueryEndpoint",
			"io.farine.service.ResultAdapter",
			"io.farine.service.RpcEndpoint",
			"io.farine.service.RunningService",
			"io.farine.service.ServiceEndpoints",
			"io.farine.service.SseEndpoint",
			"io.farine.service.TaskThread");

	@Test
	void theOnlyPublicTypesAreTheListedOnes() throws Exception {
		Set<String> expected = new TreeSet<>(API);
		expected.addAll(PUBLIC_FOR_OTHER_PACKAGES);
		Set<String> found = publicTopLevelTypes();
		Set<String> unexpected = new TreeSet<>(found);
		unexpected.removeAll(expected);
		Set<String> missing = new TreeSet<>(expected);
		missing.removeAll(found);
		assertThat(unexpected)
			.as("public types not in PublicApiTests: make them package-private, or list them and say why")
			.isEmpty();
		assertThat(missing).as("types PublicApiTests lists that are not public (or gone): take them off the list")
			.isEmpty();
	}

	@Test
	void theListsAreSortedAndDoNotOverlap() {
		assertThat(API).isSorted().doesNotHaveDuplicates().doesNotContainAnyElementsOf(PUBLIC_FOR_OTHER_PACKAGES);
		assertThat(PUBLIC_FOR_OTHER_PACKAGES).isSorted().doesNotHaveDuplicates();
	}

	private static Set<String> publicTopLevelTypes() throws IOException, URISyntaxException, ClassNotFoundException {
		Path classes = Path.of(FarineProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		Set<String> names = new TreeSet<>();
		try (Stream<Path> files = Files.walk(classes.resolve("io/farine"))) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".class")).toList()) {
				String name = classes.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".");
				name = name.substring(0, name.length() - ".class".length());
				if (name.contains("$") || name.endsWith("package-info")) {
					continue;
				}
				Class<?> type = Class.forName(name, false, PublicApiTests.class.getClassLoader());
				if (Modifier.isPublic(type.getModifiers())) {
					names.add(name);
				}
			}
		}
		return names;
	}

}

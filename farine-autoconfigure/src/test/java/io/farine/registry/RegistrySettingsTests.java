package io.farine.registry;

import java.util.Map;

import io.farine.config.FarineProperties;
import io.farine.config.RegistrySettings;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Registry settings from INI-style properties, and how they become etcd client settings. No etcd. */
class RegistrySettingsTests {

	private static FarineProperties properties(Map<String, String> values) {
		return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("farine", FarineProperties.class);
	}

	@Test
	void withoutEndpointsOrDnsTheRegistryIsOff() {
		assertThat(properties(Map.of()).registry("orders").etcd().configured()).isFalse();
	}

	@Test
	void sectionOverDefaultOverBuiltIn() {
		RegistrySettings settings = properties(Map.of("farine.defaults.etcd-endpoints", "http://a:2379, http://b:2379",
				"farine.defaults.weight", "50", "farine.services.orders.weight", "7", "farine.services.orders.tags",
				"eu, blue", "farine.services.orders.registry-ttl", "4")).registry("orders");
		assertThat(settings.etcd().endpoints()).containsExactly("http://a:2379", "http://b:2379");
		assertThat(settings.etcd().ttl()).hasSeconds(4);
		assertThat(settings.etcd().prefix()).isEqualTo("/farine/services");
		assertThat(settings.weight()).isEqualTo(7);
		assertThat(settings.priority()).isEqualTo(1);
		assertThat(settings.mode()).isEqualTo("http");
		assertThat(settings.tags()).containsExactly("eu", "blue");
		assertThat(settings.rpcCheckRegistry()).isTrue();
		assertThat(settings.memberReap()).hasMinutes(5);
		assertThat(properties(Map.of("farine.defaults.member-reap", "30")).registry("orders").memberReap())
			.hasSeconds(30);
	}

	@Test
	void badValuesNameTheKey() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> properties(Map.of("farine.defaults.mode", "udp")).registry("orders"))
			.withMessageContaining("mode = udp");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> properties(Map.of("farine.defaults.registry-ttl", "0")).registry("orders"))
			.withMessageContaining("registry_ttl");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> properties(Map.of("farine.defaults.member-reap", "-1")).registry("orders"))
			.withMessageContaining("member_reap");
	}

	@Test
	void aDnsDomainBecomesTheSrvTargetEtcdDocuments() {
		assertThat(EtcdClients.srvTarget("example.com", false)).isEqualTo("dns+srv:///_etcd-client._tcp.example.com");
		assertThat(EtcdClients.srvTarget("example.com", true)).isEqualTo("dns+srv:///_etcd-client-ssl._tcp.example.com");
	}

	@Test
	void skydnsKeysReverseTheDomain() {
		assertThat(EtcdEntries.skydnsKey("prod.farine.local.", "services", "orders", "abc"))
			.isEqualTo("/skydns/local/farine/prod/services/orders/abc");
	}

	@Test
	void aCategoryOfSeveralLabelsIsReadLeftToRightAsInSkyapi() {
		// orders.services.production.farine.local
		assertThat(EtcdEntries.skydnsKey("farine.local", "services,production", "orders", "abc"))
			.isEqualTo("/skydns/local/farine/production/services/orders/abc");
		assertThat(properties(Map.of()).registry("orders").category()).isEqualTo("services");
		assertThat(properties(Map.of("farine.services.orders.category", "services, eu")).registry("orders").category())
			.isEqualTo("services,eu");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> properties(Map.of("farine.defaults.category", "a/../b")).registry("orders"))
			.withMessageContaining("category = a/../b");
	}

	@Test
	void provideTtlIsSkyapisThirtySecondsUnlessSet() {
		assertThat(properties(Map.of()).registry("").provide().ttl()).hasSeconds(30);
		assertThat(properties(Map.of("farine.defaults.provide-ttl", "4")).registry("").provide().ttl()).hasSeconds(4);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> properties(Map.of("farine.defaults.provide-ttl", "0")).registry(""))
			.withMessageContaining("provide_ttl");
	}

}

package io.farine.config;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Every {@code amqp_uri} form a kombu user writes, read as kombu reads it. */
class AmqpAddressTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			amqp://guest:guest@127.0.0.1:5672//              | false | 127.0.0.1 | 5672 | /
			amqp://guest:guest@127.0.0.1:5672/%2F            | false | 127.0.0.1 | 5672 | /
			amqp://guest:guest@127.0.0.1:5672/               | false | 127.0.0.1 | 5672 | /
			amqp://guest:guest@127.0.0.1:5672                | false | 127.0.0.1 | 5672 | /
			amqp://guest:guest@127.0.0.1:5672/shop           | false | 127.0.0.1 | 5672 | shop
			amqp://guest:guest@127.0.0.1:5672/%2Fshop        | false | 127.0.0.1 | 5672 | /shop
			amqp://guest:guest@127.0.0.1:5672//shop          | false | 127.0.0.1 | 5672 | /shop
			amqp://rabbit_1/                                 | false | rabbit_1  | 5672 | /
			pyamqp://guest:guest@127.0.0.1//                 | false | 127.0.0.1 | 5672 | /
			librabbitmq://guest:guest@127.0.0.1:5673//       | false | 127.0.0.1 | 5673 | /
			amqps://guest:guest@rabbit.example.com//         | true  | rabbit.example.com | 5671 | /
			amqps://guest:guest@[::1]:5674/x                 | true  | ::1       | 5674 | x
			""")
	void readsEveryFormAsKombuDoes(String uri, boolean tls, String host, int port, String virtualHost) {
		AmqpAddress address = AmqpAddress.of(URI.create(uri));
		assertThat(address.tls()).isEqualTo(tls);
		assertThat(address.host()).isEqualTo(host);
		assertThat(address.port()).isEqualTo(port);
		assertThat(address.virtualHost()).isEqualTo(virtualHost);
	}

	@Test
	void userAndPasswordArePercentDecodedAndDefaultToGuest() {
		AmqpAddress address = AmqpAddress.of(URI.create("amqp://app%40shop:p%40ss%3Aw+rd%25@h//"));
		assertThat(address.username()).isEqualTo("app@shop");
		assertThat(address.password()).isEqualTo("p@ss:w+rd%");
		assertThat(AmqpAddress.of(URI.create("amqp://h//")).username()).isEqualTo("guest");
		assertThat(AmqpAddress.of(URI.create("amqp://h//")).password()).isEqualTo("guest");
	}

	@Test
	void textNeverShowsThePasswordInAnyEncoding() {
		AmqpAddress address = AmqpAddress.of(URI.create("amqp://app:s%65cret%21@h:5672/%2Fshop"));
		assertThat(address.toString()).isEqualTo("amqp://app:***@h:5672/%2Fshop").doesNotContain("secret", "s%65cret");
	}

	@Test
	void anUnknownSchemeIsAClearError() {
		assertThatIllegalArgumentException().isThrownBy(() -> AmqpAddress.of(URI.create("redis://h/")))
			.withMessage("amqp_uri scheme 'redis' is not supported: use one of amqp, pyamqp, librabbitmq "
					+ "(or amqps, pyamqps for TLS)");
	}

	@Test
	void listsTheNodesOfOneClusterSeparatedBySemicolonsOrCommas() {
		assertThat(AmqpAddress.parseAll("amqp://u:p@rabbit-1:5681/shop; amqp://u:p@rabbit-2/shop,amqp://u:p@[::1]:5683/shop"))
			.containsExactly(new AmqpAddress(false, "rabbit-1", 5681, "u", "p", "shop"),
					new AmqpAddress(false, "rabbit-2", 5672, "u", "p", "shop"),
					new AmqpAddress(false, "::1", 5683, "u", "p", "shop"));
		assertThat(AmqpAddress.describe(AmqpAddress.parseAll("amqp://u:secret@a:1/x;amqp://u:secret@b:2/x")))
			.isEqualTo("amqp://u:***@a:1/x;amqp://u:***@b:2/x");
	}

	@Test
	void nodesThatDisagreeOnCredentialsOrVirtualHostAreRefusedWithoutQuotingThem() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> AmqpAddress.parseAll("amqp://u:secret@a/x;amqps://u:other@b/y"))
			.withMessage("node 2 of amqp_uri differs from node 1 in TLS, password, virtual host: the nodes of one "
					+ "cluster share them")
			.withMessageNotContaining("secret");
		assertThatIllegalArgumentException().isThrownBy(() -> AmqpAddress.parseAll("amqp://u:p@a/x;;amqp://u:p@b/x"))
			.withMessageStartingWith("node 2 of amqp_uri is empty");
		assertThatIllegalArgumentException().isThrownBy(() -> AmqpAddress.parseAll("amqp://a/;redis://b/"))
			.withMessageStartingWith("node 2 of amqp_uri: amqp_uri scheme 'redis' is not supported");
	}

}

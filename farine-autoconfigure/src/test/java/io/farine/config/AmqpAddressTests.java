package io.farine.config;

import java.net.URI;
import java.util.List;

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


	// found by AmqpAddressPropertyTests

	@Test
	void aPasswordWhoseUnencodedSlashEndsTheAuthorityIsRefusedWithoutShowingAnyOfIt() {
		// read as host 'app', port 999999 and virtual host 'QQQ@rabbit:5672/shop', all of it logged
		assertThatIllegalArgumentException()
			.isThrownBy(() -> AmqpAddress.parseAll("amqp://app:999999/QQQ@rabbit:5672/shop"))
			.withMessage("amqp_uri has an '@' after its host: percent-encode '/', '?' and '#' in the user and password "
					+ "(%2F, %3F, %23) and '@' in the virtual host (%40)");
		assertThatIllegalArgumentException().isThrownBy(() -> AmqpAddress.parseAll("amqps://app:6476?QXZ@[::1]/shop"))
			.withMessageStartingWith("amqp_uri has an '@' after its host");
	}

	@Test
	void aPasswordCutShortByASeparatorOfNodesIsNotQuotedAsAPortOrAScheme() {
		assertThatIllegalArgumentException().isThrownBy(() -> AmqpAddress.parseAll("amqp://app:QXZ;VWY@rabbit/shop"))
			.withMessage("node 1 of amqp_uri: amqp_uri port is not a number from 1 to 65535; if the password holds "
					+ "'/', '?', '#', ';' or ',', percent-encode them (%2F, %3F, %23, %3B, %2C)");
		assertThatIllegalArgumentException().isThrownBy(() -> AmqpAddress.parseAll("amqp://app:5672,QXZ:VWY@rabbit/shop"))
			.withMessage("node 2 of amqp_uri: amqp_uri scheme is not supported: use one of amqp, pyamqp, librabbitmq "
					+ "(or amqps, pyamqps for TLS)");
	}

	@Test
	void aPortOutsideOneTo65535IsRefused() {
		for (String uri : List.of("amqp://h:0/", "amqp://h:65536/", "amqp://h:-1/", "amqp://h:+5672/",
				"amqp://h:99999999999/")) {
			assertThatIllegalArgumentException().as(uri).isThrownBy(() -> AmqpAddress.parseAll(uri))
				.withMessageStartingWith("amqp_uri port is not a number from 1 to 65535");
		}
		assertThat(AmqpAddress.parseAll("amqp://h:65535/").get(0).port()).isEqualTo(65535);
	}

	@Test
	void anEmptyPortIsTheDefaultPortAsInKombu() {
		assertThat(AmqpAddress.parseAll("amqp://h:/").get(0).port()).isEqualTo(5672);
		assertThat(AmqpAddress.parseAll("amqps://h:/").get(0).port()).isEqualTo(5671);
	}

	@Test
	void separatorsWithoutNodesAreAnEmptyNodeNotAnIndexError() {
		assertThatIllegalArgumentException().isThrownBy(() -> AmqpAddress.parseAll(";"))
			.withMessageStartingWith("node 1 of amqp_uri is empty");
		assertThatIllegalArgumentException().isThrownBy(() -> AmqpAddress.parseAll("amqp://u:p@a/x,"))
			.withMessageStartingWith("node 2 of amqp_uri is empty");
	}

}

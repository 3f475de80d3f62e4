package io.farine.samples.database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.farine.test.FarineTest;
import io.farine.test.FarineTestClient;
import io.farine.test.Handling;
import io.farine.test.PublishedMessages;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Service {@code users} driven through the broker with farine-test, on a fresh database of its
 * own (created by the sample, dropped afterwards): a create request is consumed, its event sent
 * after the commit, and the user found over RPC.
 */
@FarineTest(properties = "farine.defaults.db_name=" + UsersFarineTests.DATABASE)
// closed after the class: its consumer would take create requests meant for the other tests' database
@DirtiesContext
class UsersFarineTests {

	static final String DATABASE = "farine_sample_farine_test";

	@Autowired
	FarineTestClient farine;

	@BeforeAll
	@AfterAll
	static void drop() throws Exception {
		try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres",
				""); Statement statement = connection.createStatement()) {
			statement.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
		}
	}

	@Test
	void aCreateRequestIsConsumedAnnouncedAndFoundOverRpc() {
		PublishedMessages created = this.farine.published("users", "created");
		this.farine.publish("users", "create", Map.of("name", "grace"));
		Handling handling = this.farine.awaitHandled("users.create");
		assertThat(handling.handled()).as(handling.toString()).isTrue();
		assertThat(created.await(1).get(0).as(User.class).name()).isEqualTo("grace");
		assertThat(this.farine.call("users", "find", "grace").path("name").asString()).isEqualTo("grace");
		assertThat(this.farine.call("users", "count").asLong()).isEqualTo(1);
	}

}

package io.farine.samples.database;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

import io.farine.contract.AsyncApiDocuments;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's AsyncAPI document, written as {@link AsyncApiDocuments#main} writes it, describes
 * service {@code users}' consumer, event and RPC methods, and the official AsyncAPI parser
 * (farine-autoconfigure/src/test/asyncapi, installed here with npm ci when missing) finds no
 * error in it. The beans exist while the document is made, so Flyway migrates a database: a
 * fresh one of this test's own, named on the command line, dropped afterwards.
 */
class DatabaseContractTests {

	private static final String DATABASE = "farine_sample_contract_test";

	private static final Path PARSER = Path.of("../../farine-autoconfigure/src/test/asyncapi").toAbsolutePath();

	@AfterAll
	static void drop() throws Exception {
		try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres",
				""); Statement statement = connection.createStatement()) {
			statement.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
		}
	}

	@Test
	void theDocumentDescribesTheUsersServiceAndPassesTheOfficialParser() throws Exception {
		Path file = Path.of("target/asyncapi/database.json");
		AsyncApiDocuments.main(new String[] { DatabaseApplication.class.getName(), file.toString(),
				"--farine.defaults.db_name=" + DATABASE });
		JsonNode document = new JsonMapper().readTree(file.toFile());
		assertThat(document.path("operations").propertyNames()).contains("users.create", "users.created",
				"users.count", "users.find");
		assertThat(document.path("channels").propertyNames()).contains("users.create", "users.created");
		if (!Files.isDirectory(PARSER.resolve("node_modules/@asyncapi/parser"))) {
			run("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund");
		}
		assertThat(run("node", "validate.mjs", file.toAbsolutePath().toString())).contains("valid AsyncAPI 3.0.0");
	}

	private static String run(String... command) throws Exception {
		Process process = new ProcessBuilder(List.of(command)).directory(PARSER.toFile())
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor()).as("%s:%n%s", String.join(" ", command), output).isZero();
		return output;
	}

}

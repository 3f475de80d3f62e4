package io.farine.samples.quickstart;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /actuator/farine/asyncapi}: the quickstart's AsyncAPI document over HTTP, which the
 * official parser accepts.
 * <p>
 * <strong>Fails on branch asyncapi-27 alone:</strong> the path is answered once
 * {@code FarineEndpoint}'s sub-path dispatch (the dead-letters branch) sends {@code asyncapi} to
 * {@code AsyncApiOperation.document()}; this test is written for the merged code.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class QuickstartAsyncApiEndpointTests {

	private static final Path PARSER = Path.of("../../farine-autoconfigure/src/test/asyncapi").toAbsolutePath();

	@Value("${local.server.port}")
	int port;

	@Test
	void theEndpointAnswersTheDocumentOfTheRunningServices() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/farine/asyncapi"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("GET /actuator/farine/asyncapi: %s", response.body()).isEqualTo(200);
		JsonNode document = new JsonMapper().readTree(response.body());
		assertThat(document.path("asyncapi").asString()).isEqualTo("3.0.0");
		assertThat(document.path("operations").propertyNames()).contains("greetings.onGreeting",
				"greetings.received", "greeter.greetings");
		assertThat(document.path("channels").path("greetings.hello").path("address").asString()).isEqualTo("hello");
		Path file = Path.of("target/asyncapi/quickstart-endpoint.json");
		Files.createDirectories(file.getParent());
		Files.writeString(file, response.body());
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

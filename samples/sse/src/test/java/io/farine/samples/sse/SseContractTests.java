package io.farine.samples.sse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.farine.contract.AsyncApiDocuments;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's AsyncAPI document, written as {@link AsyncApiDocuments#main} writes it, describes
 * the {@code @SseListener} of service {@code prices} and the stream it reads (the endpoint of the
 * sample's farine.ini, on the sample's port), and the official AsyncAPI parser
 * (farine-autoconfigure/src/test/asyncapi, installed here with npm ci when missing) finds no
 * error in it.
 */
class SseContractTests {

	private static final Path PARSER = Path.of("../../farine-autoconfigure/src/test/asyncapi").toAbsolutePath();

	@Test
	void theDocumentDescribesTheListenerAndPassesTheOfficialParser() throws Exception {
		Path file = Path.of("target/asyncapi/sse.json");
		AsyncApiDocuments.main(new String[] { SseApplication.class.getName(), file.toString() });
		JsonNode document = new JsonMapper().readTree(file.toFile());
		JsonNode onPrice = document.path("operations").path("prices.onPrice");
		assertThat(onPrice.path("action").asString()).isEqualTo("receive");
		String channel = onPrice.path("channel").path("$ref").asString().substring("#/channels/".length());
		assertThat(document.path("channels").path(channel).path("address").asString()).isEqualTo("/prices");
		assertThat(document.path("servers").path("sse-127.0.0.1-8089").path("host").asString()).isEqualTo("127.0.0.1:8089");
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

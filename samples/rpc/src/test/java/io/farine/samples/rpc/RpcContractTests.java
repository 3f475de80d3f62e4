package io.farine.samples.rpc;

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
 * The sample's AsyncAPI document, written as the README's build command writes it
 * ({@link AsyncApiDocuments#main}), describes the calculator's four methods, and the official
 * AsyncAPI parser (farine-autoconfigure/src/test/asyncapi, installed by scripts/services.sh or
 * here with npm ci) finds no error in it.
 */
class RpcContractTests {

	private static final Path PARSER = Path.of("../../farine-autoconfigure/src/test/asyncapi").toAbsolutePath();

	@Test
	void theDocumentDescribesTheCalculatorAndPassesTheOfficialParser() throws Exception {
		Path file = Path.of("target/asyncapi/rpc.json");
		AsyncApiDocuments.main(new String[] { RpcApplication.class.getName(), file.toString() });
		JsonNode operations = new JsonMapper().readTree(file.toFile()).path("operations");
		assertThat(operations.propertyNames()).contains("calculator.add", "calculator.echo", "calculator.count",
				"calculator.boom");
		assertThat(operations.path("calculator.add").path("description").asString())
			.isEqualTo("The sum of a and b, as one reply item.");
		assertThat(operations.path("calculator.count").path("summary").asString()).contains("streaming");
		assertThat(operations.path("calculator.add").path("reply").path("channel").path("$ref").asString())
			.isEqualTo("#/channels/calculator.replies");
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

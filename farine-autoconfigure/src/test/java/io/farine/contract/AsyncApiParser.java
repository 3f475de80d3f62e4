package io.farine.contract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the official AsyncAPI parser ({@code @asyncapi/parser}, in {@code src/test/asyncapi}) on a
 * document. {@code scripts/services.sh} installs it with {@code npm ci}; when its
 * {@code node_modules} is missing, this runs {@code npm ci} itself (which needs the npm registry).
 */
final class AsyncApiParser {

	/** The tool's directory, from the module's directory (where Maven runs the tests). */
	static final Path TOOL = Path.of("src/test/asyncapi").toAbsolutePath();

	private AsyncApiParser() {
	}

	/**
	 * Validates a document.
	 * @return the parser's output: one line per diagnostic, then a summary
	 * @throws AssertionError with the output when the parser reports an error
	 */
	static String validate(Path document) throws IOException, InterruptedException {
		if (!Files.isDirectory(TOOL.resolve("node_modules/@asyncapi/parser"))) {
			String output = run(TOOL, "npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund");
			assertThat(Files.isDirectory(TOOL.resolve("node_modules/@asyncapi/parser")))
				.as("npm ci in %s installed @asyncapi/parser: %s", TOOL, output).isTrue();
		}
		return run(TOOL, "node", "validate.mjs", document.toAbsolutePath().toString());
	}

	private static String run(Path directory, String... command) throws IOException, InterruptedException {
		Process process;
		try {
			process = new ProcessBuilder(List.of(command)).directory(directory.toFile()).redirectErrorStream(true).start();
		}
		catch (IOException ex) {
			throw new AssertionError(command[0] + " is not on the PATH: the AsyncAPI check needs node 20 and npm "
					+ "(scripts/services.sh installs them)", ex);
		}
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("%s finished", String.join(" ", command)).isTrue();
		assertThat(process.exitValue()).as("%s in %s:%n%s", String.join(" ", command), directory, output).isZero();
		return output;
	}

}

package io.farine.chaos;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README tells users to run {@code scripts/chaos.sh}: this runs it as they would, with 200
 * messages and one fault of each kind ({@code --quick}), from this module's classpath instead of a
 * build of its own (the test runs inside a Maven build, which holds {@code /tmp/maven.lock}).
 * <p>
 * Only with {@code -Dfarine.chaos=true}: it takes 75 to 135 s on this machine's two shared cores
 * (a JVM start for the service killed, a RabbitMQ node restarted twice), and it restarts the
 * machine's PostgreSQL, which other builds may be using.
 */
@EnabledIfSystemProperty(named = "farine.chaos", matches = "true",
		disabledReason = "the chaos run takes 75 to 135 s and restarts PostgreSQL; -Dfarine.chaos=true runs it")
class ChaosScriptTests {

	@Test
	void aQuickRunInjectsEveryKindOfFaultLosesNothingAndEndsWithItsSummaryLine(@TempDir Path directory)
			throws Exception {
		Path root = Path.of("").toAbsolutePath().getParent();
		Path output = directory.resolve("chaos.out");
		String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		ProcessBuilder builder = new ProcessBuilder("bash", "scripts/chaos.sh", "--messages", "200", "--seed", "1",
				"--quick").directory(root.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
		builder.environment().put("CHAOS_CLASSPATH", classpath);
		builder.environment().put("CHAOS_SERVICE_CLASSPATH", serviceClasspath(classpath));
		Process script = builder.start();
		boolean ended = script.waitFor(6, TimeUnit.MINUTES);
		if (!ended) {
			// bash's trap stops the run's process group
			script.destroy();
			script.waitFor(1, TimeUnit.MINUTES);
		}
		String printed = Files.readString(output, StandardCharsets.UTF_8);
		assertThat(ended).as(printed).isTrue();
		assertThat(script.exitValue()).as(printed).isZero();
		List<String> lines = printed.strip().lines().toList();
		assertThat(lines.get(lines.size() - 1)).matches("published 200, lost 0, duplicated \\d+");
		assertThat(printed).containsPattern("rows in users +200\\b")
			.containsPattern("distinct created events +200\\b")
			.containsPattern("messages in dead-letter queues +0\\b")
			.containsPattern("faults injected +6\\b");
		for (Fault fault : Fault.values()) {
			assertThat(printed).containsPattern(java.util.regex.Pattern.quote(fault.description()) + " +1\\b");
		}
	}

	/** The sample and what it needs: this module's classes and the test support stay out of the service. */
	private static String serviceClasspath(String classpath) {
		return Arrays.stream(classpath.split(File.pathSeparator))
			.filter((entry) -> !entry.contains("/chaos/target/") && !entry.endsWith("-tests.jar")
					&& !entry.endsWith("test-classes"))
			.collect(Collectors.joining(File.pathSeparator));
	}

}

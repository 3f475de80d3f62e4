package io.farine.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An external command of the machine ({@code rabbitmqctl}, {@code pg_ctlcluster}) run to its end
 * within a time limit; a failure names the command and quotes its output.
 */
final class Command {

	private Command() {
	}

	/**
	 * Runs a command and returns its output (stdout and stderr together).
	 * @throws IOException when it cannot start, runs too long, or exits with another status than 0
	 */
	static String run(Duration limit, String... command) throws IOException {
		// a file, not a pipe: a command that hangs cannot block the read, only the bounded wait
		Path output = Files.createTempFile("farine-chaos-command-", ".out");
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
			if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new IOException(String.join(" ", command) + " did not end within " + limit.toSeconds() + " s");
			}
			String text = Files.readString(output);
			if (process.exitValue() != 0) {
				throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ": " + text.strip());
			}
			return text;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(String.join(" ", command) + " was interrupted", ex);
		}
		finally {
			Files.deleteIfExists(output);
		}
	}

	/** Runs a command, and says whether it exited with status 0. */
	static boolean succeeds(Duration limit, String... command) {
		try {
			run(limit, command);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}

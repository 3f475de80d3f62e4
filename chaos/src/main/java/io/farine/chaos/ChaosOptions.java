package io.farine.chaos;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The run's command line: {@code --messages N} (20,000), {@code --seed S} (drawn and printed when
 * absent), {@code --quick} (one fault of each kind instead of two, a shorter load: what the test
 * runs), how to start the service ({@code --service-jar} or {@code --service-classpath}), and
 * {@code --run-dir} for the service's files and logs.
 *
 * @param messages how many {@code create} requests to publish
 * @param seed the seed of the fault schedule
 * @param quick one fault of each kind and a shorter load
 * @param launcher the java arguments that start the service
 * @param runDirectory where the run writes farine.ini and the service's logs
 */
record ChaosOptions(int messages, long seed, boolean quick, List<String> launcher, Path runDirectory) {

	static final String MAIN_CLASS = "io.farine.samples.database.DatabaseApplication";

	static ChaosOptions parse(String[] arguments) {
		int messages = 20_000;
		@Nullable Long seed = null;
		boolean quick = false;
		@Nullable List<String> launcher = null;
		Path runDirectory = Path.of("chaos", "target", "run");
		for (int i = 0; i < arguments.length; i++) {
			String argument = arguments[i];
			switch (argument) {
				case "--quick" -> quick = true;
				case "--messages" -> messages = positive(argument, value(arguments, ++i, argument));
				case "--seed" -> seed = number(argument, value(arguments, ++i, argument));
				case "--service-jar" -> launcher = List.of("-jar", value(arguments, ++i, argument));
				case "--service-classpath" -> launcher = List.of("-cp", value(arguments, ++i, argument), MAIN_CLASS);
				case "--run-dir" -> runDirectory = Path.of(value(arguments, ++i, argument));
				default -> throw new IllegalArgumentException("Unknown option '" + argument
						+ "'; expected --messages N, --seed S, --quick, --service-jar JAR, --service-classpath CP, --run-dir DIR");
			}
		}
		if (launcher == null) {
			throw new IllegalArgumentException("Say how to start the service: --service-jar JAR or --service-classpath CP");
		}
		return new ChaosOptions(messages, (seed != null) ? seed : new SecureRandom().nextInt(1_000_000), quick, launcher,
				runDirectory.toAbsolutePath());
	}

	private static String value(String[] arguments, int index, String option) {
		if (index >= arguments.length) {
			throw new IllegalArgumentException(option + " needs a value");
		}
		return arguments[index];
	}

	private static long number(String option, String value) {
		try {
			return Long.parseLong(value);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(option + " '" + value + "' is not a whole number");
		}
	}

	private static int positive(String option, String value) {
		long number = number(option, value);
		if (number < 1 || number > 10_000_000) {
			throw new IllegalArgumentException(option + " '" + value + "' is not between 1 and 10,000,000");
		}
		return (int) number;
	}

	/** Faults of each kind: two (the "at least twice each"), one with {@code --quick}. */
	int faultsPerKind() {
		return this.quick ? 1 : 2;
	}

	/**
	 * How long the load runs: long enough for every fault to fall inside it (a RabbitMQ node or the
	 * service takes 5 to 15 s to come back), and at most 100 requests a second otherwise.
	 */
	Duration load() {
		long seconds = this.quick ? Math.max(40, this.messages / 20) : Math.max(180, this.messages / 100);
		return Duration.ofSeconds(seconds);
	}

	/** How long the drain may see no progress before the run calls what is left stuck. */
	Duration stuckAfter() {
		return this.quick ? Duration.ofSeconds(60) : Duration.ofSeconds(180);
	}

}

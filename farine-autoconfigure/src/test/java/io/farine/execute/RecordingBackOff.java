package io.farine.execute;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import io.farine.config.ServiceSettings;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * The restart backoff of {@link ExecuteRunner#restartBackOff(ServiceSettings)}, recording the
 * delays each sequence hands out: tests check what the runner asked for, not the wall clock.
 */
final class RecordingBackOff implements Function<ServiceSettings, BackOff> {

	/** The delays of each sequence started, in order. */
	final List<List<Long>> sequences = new CopyOnWriteArrayList<>();

	@Override
	public BackOff apply(ServiceSettings settings) {
		BackOff real = ExecuteRunner.restartBackOff(settings);
		return () -> {
			BackOffExecution execution = real.start();
			List<Long> delays = new CopyOnWriteArrayList<>();
			this.sequences.add(delays);
			return () -> {
				long delay = execution.nextBackOff();
				delays.add(delay);
				return delay;
			};
		};
	}

}

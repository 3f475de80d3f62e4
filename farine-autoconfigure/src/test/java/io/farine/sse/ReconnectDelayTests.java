package io.farine.sse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The pauses between SSE connections: a floor, a server's longer retry, and growth while attempts fail. */
class ReconnectDelayTests {

	private static final Duration FLOOR = Duration.ofMillis(100);

	private static final Duration MAX = Duration.ofSeconds(2);

	@RepeatedTest(20)
	void aServerRetryShorterThanTheFloorNeverShortensThePause() {
		ReconnectDelay delay = new ReconnectDelay(FLOOR, MAX);
		delay.serverAsked(Duration.ofMillis(1));
		assertThat(delay.next(true)).isBetween(FLOOR, FLOOR.multipliedBy(3).dividedBy(2));
		delay.serverAsked(Duration.ZERO);
		assertThat(delay.next(true)).isGreaterThanOrEqualTo(FLOOR);
	}

	@RepeatedTest(20)
	void failedAttemptsBackOffFromTheFloorEvenAfterAServerRetry() {
		ReconnectDelay delay = new ReconnectDelay(FLOOR, MAX);
		delay.serverAsked(Duration.ofMillis(1));
		List<Duration> pauses = pauses(delay, 8);
		// the interval doubles (100, 200, 400, 800, 1600, 2000...), jittered by half of it, never below the floor
		assertThat(pauses.get(0)).isBetween(FLOOR, Duration.ofMillis(150));
		assertThat(pauses.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(300));
		assertThat(pauses.get(2)).isBetween(Duration.ofMillis(200), Duration.ofMillis(600));
		assertThat(pauses.get(3)).isBetween(Duration.ofMillis(400), Duration.ofMillis(1200));
		assertThat(pauses.subList(4, 8)).allSatisfy((pause) -> assertThat(pause).isBetween(Duration.ofMillis(800), MAX));
	}

	@RepeatedTest(20)
	void aServerRetryLongerThanTheFloorIsTheBaseAndMayExceedTheMaximum() {
		ReconnectDelay delay = new ReconnectDelay(FLOOR, MAX);
		delay.serverAsked(Duration.ofSeconds(5));
		assertThat(delay.next(true)).isEqualTo(Duration.ofSeconds(5));
		assertThat(delay.next(false)).isEqualTo(Duration.ofSeconds(5));
		delay.serverAsked(Duration.ofMillis(700));
		assertThat(delay.next(true)).isBetween(Duration.ofMillis(700), Duration.ofMillis(1050));
	}

	@Test
	void aConnectionThatDeliveredEventsStartsTheSequenceAgain() {
		ReconnectDelay delay = new ReconnectDelay(FLOOR, MAX);
		pauses(delay, 10);
		assertThat(delay.next(false)).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
		assertThat(delay.next(true)).isBetween(FLOOR, Duration.ofMillis(150));
	}

	private static List<Duration> pauses(ReconnectDelay delay, int count) {
		List<Duration> pauses = new ArrayList<>();
		pauses.add(delay.next(true));
		for (int i = 1; i < count; i++) {
			pauses.add(delay.next(false));
		}
		return pauses;
	}

}

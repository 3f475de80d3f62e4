package io.farine.samples.execute;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.farine.amqp.Consume;
import io.farine.amqp.Publish;
import io.farine.amqp.Publisher;
import io.farine.execute.Execute;

import org.springframework.stereotype.Component;

/**
 * Service {@code heartbeat}: {@link #beat()} runs in the background and is run again each time it
 * returns, so it publishes a beat about every second; {@link #announce()} runs once at start-up.
 */
@Component
public class Heartbeat {

	private static final Log logger = LogFactory.getLog(Heartbeat.class);

	private final AtomicLong received = new AtomicLong();

	@Publish
	Publisher beats;

	@Execute(restart = false)
	void announce() {
		logger.info("heartbeat started on thread " + Thread.currentThread().getName());
	}

	@Execute
	void beat() throws InterruptedException {
		this.beats.publish(Map.of("at", Instant.now().toString()));
		Thread.sleep(1000);
	}

	@Consume
	void onBeat(Map<String, Object> beat) {
		this.received.incrementAndGet();
		logger.info("beat at " + beat.get("at"));
	}

	/** How many beats came back through the broker, for the sample's test. */
	public long received() {
		return this.received.get();
	}

}

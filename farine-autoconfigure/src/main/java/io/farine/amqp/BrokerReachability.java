package io.farine.amqp;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

/**
 * The start-up check that a service's broker accepts connections, waiting up to
 * {@code amqp_wait_at_start} for one that is still coming up. A broker that stays unreachable
 * stops start-up with a {@link BrokerUnreachableException} (and its report) rather than a
 * connection stack trace. Each broker is checked once.
 */
final class BrokerReachability {

	private static final Log logger = LogFactory.getLog(BrokerReachability.class);

	private final Set<Broker> reached = ConcurrentHashMap.newKeySet();

	void require(Broker broker, String service, Duration wait) {
		if (this.reached.contains(broker)) {
			return;
		}
		RetryPolicy policy = wait.isZero() ? RetryPolicy.builder().maxRetries(0).build()
				: RetryPolicy.builder()
					.maxRetries(Long.MAX_VALUE)
					.delay(Duration.ofMillis(200))
					.multiplier(1.5)
					.maxDelay(Duration.ofSeconds(2))
					.timeout(wait)
					.build();
		if (!wait.isZero()) {
			logger.info("Service '" + service + "' waits up to " + wait.toSeconds() + " s for the broker at "
					+ broker.safeUri() + " (amqp_wait_at_start)");
		}
		try {
			new RetryTemplate(policy).execute(() -> {
				broker.connectionFactory().createConnection().close();
				return null;
			});
			this.reached.add(broker);
		}
		catch (RetryException ex) {
			throw new BrokerUnreachableException(service, broker.safeUri(), wait, ex.getCause());
		}
	}

}

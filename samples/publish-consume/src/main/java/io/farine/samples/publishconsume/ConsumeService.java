package io.farine.samples.publishconsume;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.farine.amqp.Consume;
import io.farine.amqp.FarineMessage;
import io.farine.service.FarineService;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/** Service {@code consume}: prints each body and acknowledges it explicitly, as the original does. */
@Component
@FarineService("consume")
public class ConsumeService {

	private static final Log logger = LogFactory.getLog(ConsumeService.class);

	private final AtomicLong received = new AtomicLong();

	@Consume(exchange = "consume", routingKey = "routing_key")
	void consumeDummy(Map<String, Object> body, FarineMessage message) {
		logger.info("Received " + body);
		this.received.incrementAndGet();
		message.ack();
	}

	/** How many messages arrived, for the sample's test. */
	public long received() {
		return this.received.get();
	}

}

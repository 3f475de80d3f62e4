package io.farine.samples.sse;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.farine.sse.SseListener;

import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;

/**
 * Service {@code prices}: handles each {@code price} event of the stream named by the
 * {@code endpoint} key of its farine.ini section, one at a time, in order.
 */
@Component
public class Prices {

	private static final Log logger = LogFactory.getLog(Prices.class);

	private final List<Long> ids = new CopyOnWriteArrayList<>();

	@SseListener(event = "price")
	void onPrice(ServerSentEvent<Price> event) {
		this.ids.add(Long.parseLong(event.id()));
		logger.info("Event " + event.id() + ": " + event.data().sku() + " costs " + event.data().cents() + " cents");
	}

	/** The ids of the events handled, for the sample's test. */
	public List<Long> ids() {
		return List.copyOf(this.ids);
	}

}

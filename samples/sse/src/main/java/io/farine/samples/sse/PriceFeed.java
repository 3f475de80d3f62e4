package io.farine.samples.sse;

import java.time.Duration;

import reactor.core.publisher.Flux;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The event source of the sample: a price every 500 ms, each with an id, resuming after the
 * {@code Last-Event-ID} a reconnecting client sends; the stream ends after 10 events, so the
 * listener's reconnection shows in the log.
 */
@RestController
class PriceFeed {

	@GetMapping(path = "/prices", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<Price>> prices(@RequestHeader(name = "Last-Event-ID", required = false) Long lastId) {
		long first = (lastId != null) ? lastId + 1 : 1;
		return Flux.interval(Duration.ofMillis(500))
			.take(10)
			.map((i) -> first + i)
			.map((id) -> ServerSentEvent.builder(new Price("sku-" + (id % 3), 1000 + id))
				.id(Long.toString(id))
				.event("price")
				.build());
	}

}

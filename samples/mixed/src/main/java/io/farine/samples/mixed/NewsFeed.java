package io.farine.samples.mixed;

import java.time.Duration;

import reactor.core.publisher.Flux;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** The event source: a news item every 500 ms, resuming after the {@code Last-Event-ID} it is sent. */
@RestController
class NewsFeed {

	@GetMapping(path = "/news", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<News>> news(@RequestHeader(name = "Last-Event-ID", required = false) Long lastId) {
		long first = (lastId != null) ? lastId + 1 : 1;
		return Flux.interval(Duration.ofMillis(500))
			.map((i) -> first + i)
			.map((id) -> ServerSentEvent.builder(new News(id, "item " + id + " of the news feed"))
				.id(Long.toString(id))
				.build());
	}

}

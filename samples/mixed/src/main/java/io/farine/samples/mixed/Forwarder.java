package io.farine.samples.mixed;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.farine.sse.SseListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/** Service {@code forwarder}: each event of the feed goes to {@code analyzer.analyze} over RPC. */
@Component
public class Forwarder {

	private static final Log logger = LogFactory.getLog(Forwarder.class);

	private final AnalyzerClient analyzer;

	private final List<Analysis> answers = new CopyOnWriteArrayList<>();

	Forwarder(AnalyzerClient analyzer) {
		this.analyzer = analyzer;
	}

	@SseListener
	void onNews(News news) {
		logger.info("forwarder: event " + news.id() + " received from the feed, calling analyzer.analyze");
		Analysis analysis = this.analyzer.analyze(news);
		logger.info("forwarder: analyzer answered " + analysis);
		this.answers.add(analysis);
	}

	/** The answers so far, for the sample's test. */
	public List<Analysis> answers() {
		return List.copyOf(this.answers);
	}

}

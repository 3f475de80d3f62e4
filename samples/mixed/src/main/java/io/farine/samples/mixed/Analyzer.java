package io.farine.samples.mixed;

import io.farine.rpc.RpcMethod;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/** Service {@code analyzer}: answers {@code analyze} calls. */
@Component
public class Analyzer {

	private static final Log logger = LogFactory.getLog(Analyzer.class);

	@RpcMethod
	Analysis analyze(News news) {
		logger.info("analyzer: analyzing event " + news.id());
		return new Analysis(news.id(), news.text().split("\\s+").length);
	}

}

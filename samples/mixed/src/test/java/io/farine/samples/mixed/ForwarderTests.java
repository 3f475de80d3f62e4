package io.farine.samples.mixed;

import org.junit.jupiter.api.Test;

import io.farine.test.RpcStubs;
import io.farine.test.ServiceUnderTest;

import static org.assertj.core.api.Assertions.assertThat;

/** The forwarder alone, without a broker or a feed: its analyzer client is stubbed. */
class ForwarderTests {

	@Test
	void eachNewsItemIsForwardedToTheAnalyzerAndItsAnswerKept() {
		News news = new News(1, "item 1 of the news feed");
		RpcStubs<AnalyzerClient> analyzer = RpcStubs.of(AnalyzerClient.class);
		analyzer.when("analyze", news).thenReturn(new Analysis(1, 6));
		ServiceUnderTest<Forwarder> forwarder = ServiceUnderTest.of(Forwarder.class).with(analyzer).build();
		forwarder.service().onNews(news);
		assertThat(forwarder.service().answers()).containsExactly(new Analysis(1, 6));
		assertThat(analyzer.calls()).hasSize(1);
	}

}

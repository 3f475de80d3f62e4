package io.farine.test;

import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * Resets the {@link FarineTestClient} before each test method of a {@link FarineTest}: the
 * client lives as long as the cached application context, and one test's last message must not
 * answer the next test's {@code awaitHandled}.
 */
final class FarineTestReset implements TestExecutionListener {

	@Override
	public void beforeTestMethod(TestContext testContext) {
		if (testContext.hasApplicationContext()) {
			testContext.getApplicationContext()
				.getBeanProvider(FarineTestClient.class)
				.ifAvailable(FarineTestClient::reset);
		}
	}

}

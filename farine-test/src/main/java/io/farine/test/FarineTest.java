package io.farine.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.context.TestExecutionListeners;
import org.springframework.test.context.TestExecutionListeners.MergeMode;

/**
 * Starts the whole application against its broker (or farine-dev's stand-in when none runs), as
 * {@link SpringBootTest} does, and adds a {@link FarineTestClient} to inject: a test drives the
 * services through the same exchanges, queues and RPC calls their peers use.
 * <pre class="code">
 * &#64;FarineTest
 * class OrdersTests {
 *     &#64;Autowired FarineTestClient farine;
 *
 *     &#64;Test
 *     void anOrderIsHandled() {
 *         farine.publish("shop", "order", Map.of("id", 1));
 *         assertThat(farine.awaitHandled("orders.onOrder").handled()).isTrue();
 *     }
 * }
 * </pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest
@ImportAutoConfiguration(FarineTestConfiguration.class)
@TestExecutionListeners(listeners = FarineTestReset.class, mergeMode = MergeMode.MERGE_WITH_DEFAULTS)
public @interface FarineTest {

	/**
	 * Properties added to the environment, as {@link SpringBootTest#properties()};
	 * {@code farine.test.timeout} (default {@code 10s}) bounds every wait of the client.
	 * @return the properties, {@code key=value}
	 */
	@AliasFor(annotation = SpringBootTest.class)
	String[] properties() default {};

	/**
	 * The application's configuration classes, as {@link SpringBootTest#classes()}; found from the
	 * test's package when empty.
	 * @return the classes
	 */
	@AliasFor(annotation = SpringBootTest.class)
	Class<?>[] classes() default {};

	/**
	 * The web environment, as {@link SpringBootTest#webEnvironment()}: {@code DEFINED_PORT} or
	 * {@code RANDOM_PORT} for an application that serves what it listens to, an
	 * {@code @SseListener}'s stream say.
	 * @return the web environment
	 */
	@AliasFor(annotation = SpringBootTest.class)
	SpringBootTest.WebEnvironment webEnvironment() default SpringBootTest.WebEnvironment.MOCK;

}

package io.farine.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.farine.config.FarineProperties;
import io.farine.service.JsonCodec;
import io.farine.service.ServiceEndpoints;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringApplicationRunListener;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.LifecycleProcessor;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * The AsyncAPI 3.0 document of a farine application: its broker and SSE hosts as servers, a
 * channel per exchange and routing key, an operation per {@code @Consume}, {@code @Publish},
 * {@code @RpcMethod} (request and reply, with farine's frames), {@code @SseListener},
 * {@code @OnEvent} and {@code @OnQuery}, and the JSON schemas of their payloads. It exists so that
 * a team that does not read the code (a Python one, say) gets the contract from the running
 * application ({@code GET /actuator/farine/asyncapi}) or from the build ({@link #main}), to keep
 * in a repository of contracts. A handler's {@code @Description} (Spring's) is its description:
 * Javadoc does not survive compilation.
 */
public final class AsyncApiDocuments {

	private AsyncApiDocuments() {
	}

	/**
	 * The document of the services an application context runs.
	 * @param context a refreshed context with farine's auto-configuration
	 * @return the document as maps and lists, ready to write as JSON
	 */
	public static Map<String, Object> document(ApplicationContext context) {
		Environment environment = context.getEnvironment();
		ServiceEndpoints endpoints = context.getBean(ServiceEndpoints.class);
		String services = String.join(", ", endpoints.runningServices());
		String title = environment.getProperty("spring.application.name",
				services.isEmpty() ? "farine application" : services);
		String version = environment.getProperty("spring.application.version", "unversioned");
		return new AsyncApiDocument(endpoints, context.getBean(FarineProperties.class),
				context.getBean(JsonCodec.class).mapper())
			.build(title, version);
	}

	/**
	 * Writes the document of an application context as indented JSON, creating the file's directory.
	 * @param context a refreshed context with farine's auto-configuration
	 * @param file where to write
	 * @throws UncheckedIOException if the file cannot be written
	 */
	public static void write(ApplicationContext context, Path file) {
		try {
			Path parent = file.toAbsolutePath().getParent();
			if (parent != null) {
				Files.createDirectories(parent);
			}
			JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
			Files.write(file, json.writeValueAsBytes(document(context)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write the AsyncAPI document to " + file + ": " + ex.getMessage(),
					ex);
		}
	}

	/**
	 * Writes an application's document without running it, for a build:
	 * {@code AsyncApiDocuments <main class> <file> [application arguments]}. It calls the
	 * application's {@code main} as {@code spring-boot:run} would, with no web server; once every
	 * bean exists (the endpoints are known) it writes the document and stops before anything
	 * starts: no consumer, RPC server, SSE listener or {@code ApplicationRunner} runs, and no
	 * connection is opened by farine. Settings come from the application's {@code farine.ini} and
	 * properties, as when it runs; the arguments after the file go to it ({@code --start=...}).
	 * @param args the application's main class, the file, then the application's arguments
	 * @throws Exception if the application does not start, or the file cannot be written
	 */
	public static void main(String[] args) throws Exception {
		if (args.length < 2) {
			throw new IllegalArgumentException("Usage: AsyncApiDocuments <application main class> <output file> "
					+ "[application arguments]; for example io.example.ShopApplication target/asyncapi.json");
		}
		Method main = ClassUtils.forName(args[0], AsyncApiDocuments.class.getClassLoader())
			.getMethod("main", String[].class);
		Path file = Path.of(args[1]);
		String[] applicationArgs = Arrays.copyOfRange(args, 2, args.length);
		AtomicReference<ConfigurableApplicationContext> written = new AtomicReference<>();
		try {
			SpringApplication.withHook((application) -> {
				application.setWebApplicationType(WebApplicationType.NONE);
				return new WriteAndStop(file, written);
			}, () -> invoke(main, applicationArgs));
		}
		catch (SpringApplication.AbandonedRunException ex) {
			// what WriteAndStop throws once the document is written
		}
		ConfigurableApplicationContext context = written.get();
		if (context == null) {
			throw new IllegalStateException(args[0] + ".main returned without starting a Spring application: "
					+ "no AsyncAPI document was written");
		}
		context.close();
		System.out.println("Wrote the AsyncAPI document of " + args[0] + " to " + file.toAbsolutePath());
	}

	private static void invoke(Method main, String[] args) {
		try {
			main.invoke(null, (Object) args);
		}
		catch (InvocationTargetException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(main + " failed", ex.getCause());
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException(main + " is not public", ex);
		}
	}

	/**
	 * Refreshes the context with a lifecycle processor that starts nothing, then writes the
	 * document and abandons the run, before the application's runners.
	 */
	private record WriteAndStop(Path file,
			AtomicReference<ConfigurableApplicationContext> written) implements SpringApplicationRunListener {

		@Override
		public void contextLoaded(ConfigurableApplicationContext context) {
			context.getBeanFactory()
				.registerSingleton(AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME, new StartNothing());
		}

		@Override
		public void started(ConfigurableApplicationContext context, java.time.Duration timeTaken) {
			write(context, this.file);
			this.written.set(context);
			throw new SpringApplication.AbandonedRunException(context);
		}

	}

	/** Starts no {@code SmartLifecycle}: no consumer, server or listener runs while the document is made. */
	private static final class StartNothing implements LifecycleProcessor {

		@Override
		public void onRefresh() {
		}

		@Override
		public void onClose() {
		}

		@Override
		public void start() {
		}

		@Override
		public void stop() {
		}

		@Override
		public boolean isRunning() {
			return false;
		}

	}

}

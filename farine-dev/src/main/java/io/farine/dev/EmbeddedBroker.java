package io.farine.dev;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.SystemLauncherListener;
import org.apache.qpid.server.model.Broker;
import org.apache.qpid.server.model.Port;
import org.apache.qpid.server.model.SystemConfig;
import org.jspecify.annotations.Nullable;

import org.springframework.util.FileSystemUtils;

/**
 * An AMQP 0-9-1 broker in this JVM (Apache Qpid Broker-J, memory store) on a free loopback port,
 * user {@code guest}/{@code guest}; its default virtual host answers to any name, {@code /}
 * included. Its work directory is temporary and removed when it stops.
 */
final class EmbeddedBroker implements AutoCloseable {

	private static final String CONFIGURATION = "classpath:farine-dev-broker.json";

	private static final String TO_AVOID = ". Start RabbitMQ where amqp_uri points, or set farine.dev.enabled=false "
			+ "to use real servers only.";

	private final SystemLauncher launcher;

	private final Path workDirectory;

	private final int port;

	private EmbeddedBroker(SystemLauncher launcher, Path workDirectory, int port) {
		this.launcher = launcher;
		this.workDirectory = workDirectory;
		this.port = port;
	}

	static EmbeddedBroker start() {
		Path workDirectory;
		try {
			workDirectory = Files.createTempDirectory("farine-dev-broker");
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not create a work directory for the embedded broker", ex);
		}
		Listener listener = new Listener();
		SystemLauncher launcher = new SystemLauncher(listener);
		Map<String, String> context = new HashMap<>();
		context.put("qpid.work_dir", workDirectory.toString());
		context.put("qpid.amqp_port", "0");
		Map<String, Object> attributes = new HashMap<>();
		attributes.put(SystemConfig.TYPE, "Memory");
		attributes.put(SystemConfig.INITIAL_CONFIGURATION_LOCATION, CONFIGURATION);
		attributes.put(SystemConfig.STARTUP_LOGGED_TO_SYSTEM_OUT, Boolean.FALSE);
		attributes.put(SystemConfig.CONTEXT, context);
		try {
			launcher.startup(attributes);
		}
		catch (Exception ex) {
			FileSystemUtils.deleteRecursively(workDirectory.toFile());
			throw new IllegalStateException("Could not start the embedded AMQP broker: " + ex.getMessage() + TO_AVOID, ex);
		}
		if (listener.error != null || listener.system == null) {
			launcher.shutdown();
			FileSystemUtils.deleteRecursively(workDirectory.toFile());
			throw new IllegalStateException("Could not start the embedded AMQP broker" + TO_AVOID, listener.error);
		}
		Broker<?> broker = (Broker<?>) listener.system.getContainer();
		int port = broker.getChildren(Port.class)
			.stream()
			.filter((candidate) -> "AMQP".equals(candidate.getName()))
			.findFirst()
			.map(Port::getBoundPort)
			.orElseThrow(() -> new IllegalStateException("The embedded AMQP broker has no AMQP port"));
		return new EmbeddedBroker(launcher, workDirectory, port);
	}

	int port() {
		return this.port;
	}

	/** The URI services use to reach it: the default virtual host, as kombu writes it. */
	String uri() {
		return "amqp://guest:guest@127.0.0.1:" + this.port + "//";
	}

	@Override
	public void close() {
		this.launcher.shutdown();
		FileSystemUtils.deleteRecursively(this.workDirectory.toFile());
	}

	/** Catches what {@link SystemLauncher#startup} reports instead of throwing. */
	private static final class Listener extends SystemLauncherListener.DefaultSystemLauncherListener {

		private volatile @Nullable SystemConfig<?> system;

		private volatile @Nullable RuntimeException error;

		@Override
		public void onContainerResolve(SystemConfig<?> systemConfig) {
			this.system = systemConfig;
		}

		@Override
		public void errorOnStartup(RuntimeException error) {
			this.error = error;
		}

	}

}

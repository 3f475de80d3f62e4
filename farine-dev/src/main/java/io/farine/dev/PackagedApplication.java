package io.farine.dev;

import java.net.URL;
import java.security.CodeSource;
import java.util.Collection;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Whether the application runs from a packaged archive, the sign spring-boot-devtools reads as
 * "production": its {@code DefaultRestartInitializer} stays off when the main thread's class
 * loader is not the JDK's application class loader, which is what {@code java -jar app.jar}
 * (Spring Boot's {@code JarLauncher} and its {@code LaunchedClassLoader}) gives, exploded or not.
 * Devtools leaves the jar rule to the build plugin, which drops it from the archive; farine-dev
 * cannot count on that (an application may declare it without {@code optional}), so it also
 * looks where the application's own classes come from: a jar or war file, a class inside one,
 * or an exploded archive's {@code BOOT-INF/classes}. A class from a directory, as an IDE,
 * {@code spring-boot:run} or a test runs it, is development.
 */
final class PackagedApplication {

	/** Spring Boot's loader package: its class loaders exist only when launched from an archive. */
	private static final String LOADER_PACKAGE = "org.springframework.boot.loader.";

	private PackagedApplication() {
	}

	/**
	 * Why the application counts as packaged, or {@code null} when it does not.
	 * @param sources the application's classes (its primary sources); where none is a class, only
	 * the class loader is looked at
	 * @param contextLoader the class loader of the thread starting the application
	 * @return what shows it runs from an archive, for a log line
	 */
	static @Nullable String reason(Collection<Class<?>> sources, @Nullable ClassLoader contextLoader) {
		String loader = launcherLoader(contextLoader);
		if (loader != null) {
			return "it was launched by Spring Boot's loader (" + loader + ")";
		}
		for (Class<?> source : sources) {
			String reason = reason(source);
			if (reason != null) {
				return reason;
			}
		}
		return null;
	}

	/** Why one class counts as packaged, or {@code null}. */
	static @Nullable String reason(Class<?> source) {
		String loader = launcherLoader(source.getClassLoader());
		if (loader != null) {
			return source.getName() + " was loaded by Spring Boot's loader (" + loader + ")";
		}
		CodeSource code = source.getProtectionDomain().getCodeSource();
		URL location = (code != null) ? code.getLocation() : null;
		if (location == null) {
			// a JDK class, or one defined at run time: nothing says where the application lives
			return null;
		}
		String protocol = location.getProtocol();
		String path = location.getPath().toLowerCase(Locale.ROOT);
		// "jar:file:app.jar!/BOOT-INF/classes/" (Boot before 3.2), "nested:app.jar/!BOOT-INF/classes/" (3.2 on)
		boolean archive = protocol.equals("jar") || protocol.equals("nested")
				|| path.endsWith(".jar") || path.endsWith(".war")
				// an archive unpacked and run with its launcher on the class path
				|| path.contains("/boot-inf/classes") || path.contains("/web-inf/classes");
		return archive ? source.getName() + " was loaded from " + location : null;
	}

	/** The name of Spring Boot's loader among the class loader and its parents, or {@code null}. */
	private static @Nullable String launcherLoader(@Nullable ClassLoader loader) {
		for (ClassLoader current = loader; current != null; current = current.getParent()) {
			String name = current.getClass().getName();
			if (name.startsWith(LOADER_PACKAGE)) {
				return name;
			}
		}
		return null;
	}

}

package io.farine.dev;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.loader.launch.TestLaunchedClassLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged-archive rule with both answers: classes from a directory (an IDE, a test) are
 * development; a class from a jar, from inside a fat jar, from an unpacked fat jar, or under
 * Spring Boot's loader is packaged.
 */
class PackagedApplicationTests {

	private static final String FIXTURE = Fixture.class.getName();

	static final String FIXTURE_PATH = FIXTURE.replace('.', '/') + ".class";

	@TempDir
	Path directory;

	@Test
	void aClassFromADirectoryIsDevelopment() {
		assertThat(PackagedApplication.reason(Fixture.class)).isNull();
		assertThat(PackagedApplication.reason(List.of(Fixture.class), getClass().getClassLoader())).isNull();
	}

	@Test
	void aClassWithNoCodeSourceSaysNothing() {
		assertThat(PackagedApplication.reason(String.class)).isNull();
		assertThat(PackagedApplication.reason(List.of(), null)).isNull();
	}

	@Test
	void aClassFromAJarIsPackaged() throws Exception {
		Path jar = this.directory.resolve("shop.jar");
		writeJar(jar, FIXTURE_PATH);
		try (URLClassLoader loader = isolated(jar.toUri().toURL())) {
			Class<?> packaged = loader.loadClass(FIXTURE);
			assertThat(PackagedApplication.reason(packaged)).contains(FIXTURE).contains("shop.jar");
			assertThat(PackagedApplication.reason(List.of(Fixture.class, packaged), getClass().getClassLoader()))
				.contains("shop.jar");
		}
	}

	@Test
	void aClassInsideAFatJarIsPackaged() throws Exception {
		Path jar = this.directory.resolve("shop.jar");
		writeJar(jar, "BOOT-INF/classes/" + FIXTURE_PATH);
		try (URLClassLoader loader = isolated(new URL("jar:" + jar.toUri() + "!/BOOT-INF/classes/"))) {
			assertThat(PackagedApplication.reason(loader.loadClass(FIXTURE))).contains("jar:file:")
				.contains("shop.jar!/BOOT-INF/classes/");
		}
	}

	@Test
	void aClassFromAnUnpackedFatJarIsPackaged() throws Exception {
		Path classes = this.directory.resolve("BOOT-INF/classes");
		Path file = classes.resolve(FIXTURE_PATH);
		Files.createDirectories(file.getParent());
		try (InputStream in = fixtureBytes()) {
			Files.copy(in, file);
		}
		try (URLClassLoader loader = isolated(classes.toUri().toURL())) {
			assertThat(PackagedApplication.reason(loader.loadClass(FIXTURE))).contains("BOOT-INF/classes");
		}
	}

	@Test
	void aThreadUnderSpringBootsLoaderIsPackaged() throws Exception {
		try (TestLaunchedClassLoader launched = new TestLaunchedClassLoader(getClass().getClassLoader())) {
			assertThat(PackagedApplication.reason(List.of(Fixture.class), launched))
				.contains(TestLaunchedClassLoader.class.getName());
			// and a loader below it, as a library might add
			try (URLClassLoader child = new URLClassLoader(new URL[0], launched)) {
				assertThat(PackagedApplication.reason(List.of(), child)).isNotNull();
			}
		}
	}

	/** Loads from the URL alone, never from the test's own class path. */
	private static URLClassLoader isolated(URL url) {
		return new URLClassLoader(new URL[] { url }, ClassLoader.getPlatformClassLoader());
	}

	static void writeJar(Path jar, String entry) throws IOException {
		try (OutputStream file = Files.newOutputStream(jar);
				JarOutputStream out = new JarOutputStream(file);
				InputStream in = fixtureBytes()) {
			out.putNextEntry(new JarEntry(entry));
			in.transferTo(out);
			out.closeEntry();
		}
	}

	private static InputStream fixtureBytes() {
		InputStream in = PackagedApplicationTests.class.getClassLoader().getResourceAsStream(FIXTURE_PATH);
		assertThat(in).isNotNull();
		return in;
	}

	/** A class with nothing but JDK references, so that a loader of its own can define it. */
	static final class Fixture {

	}

}

package io.farine.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * Adds the farine INI file to the Spring {@code Environment}, below every other source, so
 * application properties, the environment and the command line all override it.
 * <p>
 * The file is {@code FARINE_INI} if set (an error if it does not exist), else
 * {@code /etc/farine.ini} if present, else {@code farine.ini} on the classpath, else none.
 * {@code [DEFAULT]} options become {@code farine.defaults.<key>}, a section's own options
 * {@code farine.services.<section>.<key>}; inheritance from DEFAULT is applied when settings are
 * resolved, so a default set in {@code application.properties} reaches every service too.
 */
class IniPropertySourcePostProcessor implements EnvironmentPostProcessor, Ordered {

	/** Name of the property source holding the INI file's options. */
	static final String PROPERTY_SOURCE_NAME = IniPropertySource.NAME;

	static final String ENV_VARIABLE = "FARINE_INI";

	static final Path SYSTEM_FILE = Path.of("/etc/farine.ini");

	static final String CLASSPATH_FILE = "farine.ini";

	@Override
	public int getOrder() {
		// before the database settings, which read what this adds
		return Ordered.LOWEST_PRECEDENCE - 100;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Map<String, Object> properties = new LinkedHashMap<>();
		Located located = load(environment.getProperty(ENV_VARIABLE));
		Set<String> sections = Set.of();
		if (located != null) {
			sections = located.file().sections().keySet();
			IniFile file = located.file();
			file.defaults().forEach((key, value) -> properties.put("farine.defaults." + key,
					OriginTrackedValue.of(value, new Origin(located.name(), file.line(IniFile.DEFAULT_SECTION, key), IniFile.DEFAULT_SECTION,
							key))));
			file.sections().keySet().forEach((section) -> file.ownOptions(section)
				.forEach((key, value) -> properties.put("farine.services." + section + "." + key,
						OriginTrackedValue.of(value, new Origin(located.name(), file.line(section, key), section, key)))));
		}
		// --start=a,b on the command line is the original's way of choosing services.
		properties.putIfAbsent("farine.start", "${start:}");
		environment.getPropertySources().addLast(new IniPropertySource(properties, sections));
	}

	private static @Nullable Located load(@Nullable String explicit) {
		IniFile file = read(explicit);
		if (file == null) {
			return null;
		}
		String name = (explicit != null && !explicit.isBlank()) ? explicit
				: Files.isReadable(SYSTEM_FILE) ? SYSTEM_FILE.toString() : "classpath:" + CLASSPATH_FILE;
		return new Located(file, name);
	}

	private static @Nullable IniFile read(@Nullable String explicit) {
		try {
			if (explicit != null && !explicit.isBlank()) {
				Path path = Path.of(explicit);
				if (!Files.isRegularFile(path)) {
					throw new IniFileNotFoundException(path, "does not exist or is not a file", null);
				}
				if (!Files.isReadable(path)) {
					throw new IniFileNotFoundException(path, "cannot be read", null);
				}
				return readExplicit(path);
			}
			if (Files.isReadable(SYSTEM_FILE)) {
				return IniFile.parse(SYSTEM_FILE);
			}
			ClassPathResource resource = new ClassPathResource(CLASSPATH_FILE);
			if (resource.exists()) {
				try (InputStream in = resource.getInputStream()) {
					return IniFile.parse("classpath:" + CLASSPATH_FILE, new String(in.readAllBytes(), StandardCharsets.UTF_8));
				}
			}
			return null;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read the farine INI file: " + ex.getMessage(), ex);
		}
	}

	/** The file that was read, and how it is named in messages. */
	private record Located(IniFile file, String name) {
	}

	/**
	 * Where a value of the INI file came from, for Spring Boot's binding failure reports and
	 * farine's own: {@code classpath:farine.ini:12 [orders] prefetch_count}.
	 */
	private record Origin(String file, int line, String section, String key)
			implements org.springframework.boot.origin.Origin {

		@Override
		public String toString() {
			return this.file + ((this.line > 0) ? ":" + this.line : "") + " [" + this.section + "] " + this.key;
		}

	}

	private static IniFile readExplicit(Path path) {
		try {
			return IniFile.parse(path);
		}
		catch (IOException ex) {
			throw new IniFileNotFoundException(path, "cannot be read (" + ex.getMessage() + ")", ex);
		}
	}

}

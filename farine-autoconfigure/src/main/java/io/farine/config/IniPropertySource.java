package io.farine.config;

import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

/**
 * The farine INI file in Spring's {@code Environment}: its options as properties, and the names of
 * its sections. A section names a service whether or not it has options, as an empty section
 * exists for Python's {@code configparser}; an empty one yields no property, so its name is kept
 * here, where {@code --start} is checked. Each value carries its file, line, section and key, as
 * Boot's (final) {@code OriginTrackedMapPropertySource} does, for binding failure reports.
 * <p>
 * Not part of farine's API: public because autoconfigure's configuration check reads the INI file's
 * sections from it.
 */
public final class IniPropertySource extends MapPropertySource implements OriginLookup<String> {

	/** Name of the property source holding the INI file's options. */
	public static final String NAME = "farineIni";

	private final Set<String> sections;

	IniPropertySource(Map<String, Object> properties, Set<String> sections) {
		super(NAME, properties);
		this.sections = Set.copyOf(sections);
	}

	@Override
	public @Nullable Object getProperty(String name) {
		Object value = super.getProperty(name);
		return (value instanceof OriginTrackedValue tracked) ? tracked.getValue() : value;
	}

	@Override
	public @Nullable Origin getOrigin(String name) {
		return (super.getProperty(name) instanceof OriginTrackedValue tracked) ? tracked.getOrigin() : null;
	}

	/**
	 * The sections of the file but {@code [DEFAULT]}, empty ones included.
	 * @return the section names
	 */
	public Set<String> sections() {
		return this.sections;
	}

	/**
	 * The sections of the INI file an environment holds.
	 * @param environment the application's environment
	 * @return the section names; none without an INI file
	 */
	public static Set<String> sections(Environment environment) {
		if (environment instanceof ConfigurableEnvironment configurable) {
			PropertySource<?> source = configurable.getPropertySources().get(NAME);
			if (source instanceof IniPropertySource ini) {
				return ini.sections();
			}
		}
		return Set.of();
	}

}

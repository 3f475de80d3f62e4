package io.farine.jdbc;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.PlaceholdersResolver;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.Environment;

/**
 * Remembers each farine key as written while the settings are bound before the context exists:
 * its text and where it was set (the INI file and section, application.properties, ...), so a bad
 * {@code db_*} key is reported as written. A value that does not convert is remembered and bound as
 * unset rather than thrown: farine reports the {@code db_*} keys itself, and the binding of
 * {@code FarineProperties} in the context reports the others as it always did.
 */
final class WrittenKeys implements BindHandler {

	private final Map<String, Written> written = new HashMap<>();

	private final PlaceholdersResolver placeholders;

	WrittenKeys(Environment environment) {
		this.placeholders = new PropertySourcesPlaceholdersResolver(environment);
	}

	@Override
	public Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context, Object result) {
		remember(name, context, true);
		return result;
	}

	@Override
	public @Nullable Object onFailure(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
			Exception error) {
		remember(name, context, false);
		return null;
	}

	private void remember(ConfigurationPropertyName name, BindContext context, boolean converted) {
		ConfigurationProperty property = context.getConfigurationProperty();
		if (property == null) {
			return;
		}
		String origin = (property.getOrigin() != null) ? property.getOrigin().toString()
				: "property source '" + property.getSource().getUnderlyingSource() + "'";
		this.written.put(name.toString(),
				new Written(String.valueOf(this.placeholders.resolvePlaceholders(property.getValue())), origin,
						converted));
	}

	/**
	 * A key of a section as written: the section's own, else {@code [DEFAULT]}'s, the way it is
	 * inherited.
	 * @param section the service's section, or {@code DEFAULT}
	 * @param key the INI key, such as {@code db_port}
	 * @return how it was written, or {@code null} if neither section sets it
	 */
	@Nullable Written of(String section, String key) {
		Written own = this.written.get(ownName(section, key));
		return (own != null) ? own : this.written.get(defaultName(key));
	}

	/**
	 * Where a key of a section was set, for messages: its origin, or the property's name.
	 * @param section the service's section, or {@code DEFAULT}
	 * @param key the INI key
	 * @return where it was set
	 */
	String where(String section, String key) {
		Written written = of(section, key);
		return (written != null) ? written.origin() : defaultName(key);
	}

	/**
	 * Whether one of some keys of a section was written with a value that does not convert, and
	 * so is unset in the bound settings.
	 * @param section the service's section, or {@code null} for {@code [DEFAULT]}
	 * @param keys the INI keys
	 * @return {@code true} if one was
	 */
	boolean unconverted(@Nullable String section, List<String> keys) {
		return keys.stream()
			.map((key) -> this.written.get((section != null) ? ownName(section, key) : defaultName(key)))
			.anyMatch((written) -> written != null && !written.converted());
	}

	private static String ownName(String section, String key) {
		return "farine.services." + section + "." + key.replace('_', '-');
	}

	private static String defaultName(String key) {
		return "farine.defaults." + key.replace('_', '-');
	}

	/**
	 * One key as written.
	 * @param text its value, placeholders resolved
	 * @param origin where it was set
	 * @param converted whether it converted to its option's type
	 */
	record Written(String text, String origin, boolean converted) {
	}

}

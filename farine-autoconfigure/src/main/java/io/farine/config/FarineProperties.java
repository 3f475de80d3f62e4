package io.farine.config;

import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * farine's configuration, usually written in {@code farine.ini}: {@code [DEFAULT]} binds to
 * {@code farine.defaults}, each {@code [service]} section to {@code farine.services.<service>}.
 *
 * @param start the services to run (all when empty); also {@code --start=a,b} on the command line
 * @param defaults options every service inherits ({@code [DEFAULT]})
 * @param services options of each service, by service name ({@code [service]} sections)
 */
@ConfigurationProperties("farine")
public record FarineProperties(@DefaultValue List<String> start,
		@DefaultValue @NestedConfigurationProperty ServiceOptions defaults,
		@DefaultValue Map<String, ServiceOptions> services) {

	/**
	 * The effective settings of a service: its section over {@code [DEFAULT]} over the built-in
	 * defaults.
	 * @param service the service name; {@code ""} for {@code [DEFAULT]}'s alone
	 * @return the resolved settings
	 * @throws InvalidSettingException if a value is out of range, naming the service and key
	 */
	public ServiceSettings service(String service) {
		try {
			return ServiceSettings.resolve(service, this.services.getOrDefault(service, ServiceOptions.NONE),
					this.defaults);
		}
		catch (InvalidSettingException ex) {
			throw ex;
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidSettingException(ServiceSettings.section(service), ex.getMessage());
		}
	}

	/**
	 * The registry settings of a service: its section over {@code [DEFAULT]} over the built-in
	 * defaults.
	 * @param service the service name; {@code ""} for {@code [DEFAULT]}'s alone
	 * @return the resolved registry settings
	 */
	public RegistrySettings registry(String service) {
		try {
			return RegistrySettings.resolve(this.services.getOrDefault(service, ServiceOptions.NONE), this.defaults);
		}
		catch (IllegalArgumentException ex) {
			String section = ServiceSettings.section(service);
			throw new InvalidSettingException(section, "[" + section + "] " + ex.getMessage());
		}
	}

	/**
	 * Whether a service's entry points run: it is enabled and, when {@code start} names
	 * services, one of them.
	 * @param service the service name
	 * @return true if the service runs
	 */
	public boolean runs(String service) {
		return started(service) && service(service).enabled();
	}

	/**
	 * Whether a service is selected to run: {@link #runs(String)} without checking its other
	 * settings, for what reads the settings before the context checks them (the DataSource, made
	 * from the {@code db_*} keys while the environment is prepared).
	 * @param service the service name
	 * @return true if {@code start} names it (or names none) and its {@code enabled} key, or
	 * {@code [DEFAULT]}'s, is not false
	 */
	public boolean selected(String service) {
		Boolean enabled = options(service).enabled();
		return started(service) && !Boolean.FALSE.equals((enabled != null) ? enabled : this.defaults.enabled());
	}

	/**
	 * The {@code db_*} keys of a service: its section's over {@code [DEFAULT]}'s, unchecked.
	 * @param service the service name
	 * @return the keys in effect
	 */
	public DatabaseOptions database(String service) {
		return options(service).database().over(this.defaults.database());
	}

	private boolean started(String service) {
		List<String> named = this.start.stream().map(String::trim).filter((s) -> !s.isEmpty()).toList();
		return named.isEmpty() || named.contains(service);
	}

	private ServiceOptions options(String service) {
		ServiceOptions own = this.services.get(service);
		return (own != null) ? own : ServiceOptions.NONE;
	}

}

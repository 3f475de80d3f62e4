package io.farine.dev;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Profiles;

/**
 * Decides whether farine-dev may stand in at all, before it looks at any address: a broker or
 * database proxy that starts a second after the application must never leave production running
 * on a throwaway broker or a temporary database. farine-dev stays off when switched off
 * ({@code farine.dev.enabled=false}), when a profile named in {@code farine.dev.disabled-profiles}
 * (default {@code prod}) is active, and when the application runs from a packaged archive
 * ({@link PackagedApplication}).
 */
final class DevServicesGuard {

	static final String ENABLED = "farine.dev.enabled";

	static final String DISABLED_PROFILES = "farine.dev.disabled-profiles";

	private static final String[] DEFAULT_DISABLED_PROFILES = { "prod" };

	private DevServicesGuard() {
	}

	/**
	 * Why farine-dev stays off, or {@code null} when it may stand in.
	 * @param environment the application's environment, with its profiles active
	 * @param application the application starting, for its primary sources
	 * @return the reason, for a log line
	 */
	static @Nullable String offBecause(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty(ENABLED, Boolean.class, true)) {
			return ENABLED + "=false";
		}
		String[] disabled = environment.getProperty(DISABLED_PROFILES, String[].class, DEFAULT_DISABLED_PROFILES);
		for (String profile : disabled) {
			if (!profile.isBlank() && environment.acceptsProfiles(Profiles.of(profile.strip()))) {
				return "profile '" + profile.strip() + "' is active and " + DISABLED_PROFILES + " is "
						+ String.join(",", disabled) + "; set " + DISABLED_PROFILES
						+ " to the profiles in which it must never run";
			}
		}
		List<Class<?>> sources = application.getAllSources()
			.stream()
			.filter(Class.class::isInstance)
			.<Class<?>>map(Class.class::cast)
			.toList();
		String packaged = PackagedApplication.reason(sources, Thread.currentThread().getContextClassLoader());
		if (packaged != null) {
			return "the application runs from a packaged archive: " + packaged
					+ "; stand-ins are for development (an IDE, spring-boot:run, tests)";
		}
		return null;
	}

}

package io.farine.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.farine.test.Postgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code db_*} keys of a real {@code farine.ini} against the local PostgreSQL: a working
 * DataSource, and a clear start-up report for each kind of bad key, never showing the password.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseSettingsIntegrationTests {

	private static final String SECRET = "s3cr3t-Pw%41:@";

	private static Postgres database;

	@TempDir
	Path directory;

	@BeforeAll
	static void createDatabase() throws Exception {
		database = new Postgres("settings");
	}

	@AfterAll
	static void dropDatabase() throws Exception {
		database.close();
	}

	private Path ini(String text) throws Exception {
		Path file = this.directory.resolve("farine.ini");
		Files.writeString(file, text);
		return file;
	}

	private static ConfigurableApplicationContext run(Path ini, String... arguments) {
		String[] args = new String[arguments.length + 1];
		args[0] = "--FARINE_INI=" + ini;
		System.arraycopy(arguments, 0, args, 1, arguments.length);
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).run(args);
	}

	@Test
	void iniKeysConfigureTheDataSourceAndJdbcWorks() throws Exception {
		Path ini = ini("""
				[DEFAULT]
				db_connector = postgresql
				db_host = 127.0.0.1
				db_port = 5432
				db_name = %s
				db_user = postgres
				db_password =
				db_max_conn = 3
				db_stale_timeout = 300
				db_timeout = 5

				[users]
				amqp_uri = amqp://guest:guest@127.0.0.1:5672/
				""".formatted(database.name()));
		try (ConfigurableApplicationContext context = run(ini)) {
			HikariDataSource pool = context.getBean(HikariDataSource.class);
			assertThat(pool.getJdbcUrl()).isEqualTo(database.url());
			assertThat(pool.getUsername()).isEqualTo("postgres");
			assertThat(pool.getMaximumPoolSize()).isEqualTo(3);
			assertThat(pool.getMaxLifetime()).isEqualTo(Duration.ofSeconds(300).toMillis());
			assertThat(pool.getConnectionTimeout()).isEqualTo(Duration.ofSeconds(5).toMillis());
			JdbcClient jdbc = context.getBean(JdbcClient.class);
			assertThat(jdbc.sql("SELECT current_database()").query(String.class).single()).isEqualTo(database.name());
		}
	}

	@Test
	void everyBadKeyIsNamedInOneReportWithoutThePassword(CapturedOutput output) throws Exception {
		Path ini = ini("""
				[DEFAULT]
				db_connector = mysql
				db_host = 127.0.0.1
				db_port = fifty
				db_name = shop
				db_password = %s
				db_max_conn = many
				db_timeout = soon
				""".formatted(SECRET));
		assertThatThrownBy(() -> run(ini)).isInstanceOf(DatabaseSettingsException.class);
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("db_connector = 'mysql' (" + ini + ":2 [DEFAULT] db_connector) is not supported: expected one of postgres, postgresql")
			.contains("is missing db_user")
			.contains("db_port = 'fifty' (" + ini + ":4 [DEFAULT] db_port) is not valid: expected a port number")
			.contains("db_max_conn = 'many'")
			.contains("db_timeout = 'soon'")
			.contains("spring.datasource.url")
			.doesNotContain(SECRET)
			.doesNotContain("s3cr3t");
	}

	@Test
	void aKeySetInApplicationPropertiesIsReportedWhereItWasSet(CapturedOutput output) throws Exception {
		Path ini = ini("""
				[DEFAULT]
				db_connector = postgres
				db_host = 127.0.0.1
				db_name = shop
				db_user = postgres
				db_password =
				""");
		assertThatThrownBy(() -> run(ini, "--farine.defaults.db-port=99999"))
			.isInstanceOf(DatabaseSettingsException.class);
		assertThat(output).contains("db_port = '99999'").contains("commandLineArgs");
	}

	@Test
	void aServiceNamingAnotherDatabaseGetsAPoolOfItsOwn(CapturedOutput output) throws Exception {
		// [DEFAULT] names no database: the first running service's is the primary
		Path ini = ini("""
				[DEFAULT]
				db_connector = postgres
				db_host = 127.0.0.1
				db_user = postgres
				db_password = %s

				[orders]
				db_name = %s

				[billing]
				db_name = billing
				db_max_conn = 2
				""".formatted(SECRET, database.name()));
		try (ConfigurableApplicationContext context = run(ini, "--farine.outbox.enabled=false")) {
			ServiceDataSource routing = context.getBean(ServiceDataSource.class);
			assertThat(((HikariDataSource) routing.getResolvedDefaultDataSource()).getJdbcUrl()).isEqualTo(database.url());
			assertThat(routing.getResolvedDataSources()).containsOnlyKeys("billing");
			HikariDataSource billing = (HikariDataSource) routing.getResolvedDataSources().get("billing");
			assertThat(billing.getJdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/billing");
			assertThat(billing.getMaximumPoolSize()).isEqualTo(2);
			assertThat(billing.getPoolName()).isEqualTo("farine-billing");
		}
		assertThat(output).doesNotContain(SECRET);
	}

	@Test
	void onlyTheServicesThatRunGetPools() throws Exception {
		Path ini = ini("""
				[DEFAULT]
				db_connector = postgres
				db_host = 127.0.0.1
				db_user = postgres
				db_password =

				[orders]
				db_name = %s

				[billing]
				db_name = elsewhere
				""".formatted(database.name()));
		try (ConfigurableApplicationContext context = run(ini, "--start=orders")) {
			assertThat(context.getBean(HikariDataSource.class).getJdbcUrl()).isEqualTo(database.url());
			assertThat(context.getBeanNamesForType(ServiceDataSource.class)).isEmpty();
		}
	}

	@Test
	void aServiceThatIsNotEnabledGetsNoPool() throws Exception {
		// enabled = no is false to the settings, as to Python's getboolean: billing does not run
		Path ini = ini("""
				[DEFAULT]
				db_connector = postgres
				db_host = 127.0.0.1
				db_user = postgres
				db_password =

				[orders]
				db_name = %s

				[billing]
				enabled = no
				db_name = elsewhere
				""".formatted(database.name()));
		try (ConfigurableApplicationContext context = run(ini)) {
			assertThat(context.getBean(HikariDataSource.class).getJdbcUrl()).isEqualTo(database.url());
		}
	}

	@Test
	void startAsAListChoosesTheServicesThatGetPools() throws Exception {
		Path ini = ini("""
				[DEFAULT]
				db_connector = postgres
				db_host = 127.0.0.1
				db_user = postgres
				db_password =

				[orders]
				db_name = %s

				[billing]
				db_name = elsewhere
				""".formatted(database.name()));
		try (ConfigurableApplicationContext context = run(ini, "--farine.start[0]=orders")) {
			assertThat(context.getBean(HikariDataSource.class).getJdbcUrl()).isEqualTo(database.url());
		}
	}

	@Test
	void aServicesOwnBadValueIsReportedOverAGoodDefault(CapturedOutput output) throws Exception {
		Path ini = ini("""
				[DEFAULT]
				db_connector = postgres
				db_host = 127.0.0.1
				db_port = 5432
				db_user = postgres
				db_password =
				db_max_conn = 4

				[orders]
				db_name = shop
				db_port = fifty
				db_stale_timeout = 0
				""");
		assertThatThrownBy(() -> run(ini)).isInstanceOf(DatabaseSettingsException.class);
		assertThat(output)
			.contains("[orders] db_port = 'fifty' (" + ini + ":11 [orders] db_port) is not valid: expected a port number")
			.contains("[orders] db_stale_timeout = '0' (" + ini + ":12 [orders] db_stale_timeout) is not valid")
			.doesNotContain("db_max_conn =");
	}

	@Test
	void aDefaultKeyIsInheritedByAServiceThatSetsOthers() throws Exception {
		Path ini = ini("""
				[DEFAULT]
				db_host = 127.0.0.1
				db_user = postgres
				db_password =
				db_max_conn = 4

				[orders]
				db_connector = postgres
				db_name = %s
				db_timeout = 7
				""".formatted(database.name()));
		try (ConfigurableApplicationContext context = run(ini)) {
			HikariDataSource pool = context.getBean(HikariDataSource.class);
			assertThat(pool.getJdbcUrl()).isEqualTo(database.url());
			assertThat(pool.getMaximumPoolSize()).isEqualTo(4);
			assertThat(pool.getConnectionTimeout()).isEqualTo(Duration.ofSeconds(7).toMillis());
		}
	}

	@Test
	void springDatasourceUrlWinsOverTheKeys() throws Exception {
		Path ini = ini("""
				[DEFAULT]
				db_connector = oracle
				db_name = elsewhere
				""");
		try (ConfigurableApplicationContext context = run(ini, "--spring.datasource.url=" + database.url(),
				"--spring.datasource.username=postgres")) {
			assertThat(context.getBean(HikariDataSource.class).getJdbcUrl()).isEqualTo(database.url());
		}
	}

	@Test
	void withoutAnyDatabaseSettingTheApplicationStartsWithNoDataSource() throws Exception {
		Path ini = ini("""
				[users]
				amqp_uri = amqp://guest:guest@127.0.0.1:5672/
				""");
		try (ConfigurableApplicationContext context = run(ini)) {
			assertThat(context.getBeanNamesForType(DataSource.class)).isEmpty();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

}

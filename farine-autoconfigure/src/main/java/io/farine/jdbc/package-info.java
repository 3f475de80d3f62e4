/**
 * PostgreSQL for handlers: the {@code db_*} keys of {@code farine.ini} become the application's
 * DataSource (HikariCP, through Spring Boot's own DataSource auto-configuration), as the Python
 * original's database support read them; a service whose section names another database gets a
 * pool of its own, used while its handlers run.
 */
@NullMarked
package io.farine.jdbc;

import org.jspecify.annotations.NullMarked;

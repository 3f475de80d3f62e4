package io.farine.outbox;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox table and the one database it lives in, shared by the {@link JdbcOutbox} that writes
 * its rows and the {@link OutboxRelay} that sends them. The outbox joins only a transaction of
 * this DataSource, and the relay runs its batches in transactions of this same DataSource (a
 * transaction manager of another database would leave its locks and deletes auto-committed).
 * The relay's locks are keyed by the table's identity, resolved once at start: two relays
 * configured with {@code farine_outbox} and {@code public.farine_outbox} lock the same keys.
 */
final class OutboxTable {

	private final DataSource dataSource;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final String name;

	/** The table's oid, once resolved: the first key of the relay's advisory locks. */
	private volatile @Nullable Long oid;

	/**
	 * Describes the table; touches no database.
	 * @param dataSource the database of the outbox, the application's
	 * @param name the table, {@code farine_outbox} unless {@code outbox_table} names another
	 * @throws IllegalArgumentException if the name is not a table name, naming the key
	 */
	OutboxTable(DataSource dataSource, String name) {
		this.dataSource = dataSource;
		this.jdbc = JdbcClient.create(dataSource);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		this.name = JdbcOutbox.checkedTableName(name, "outbox_table");
	}

	DataSource dataSource() {
		return this.dataSource;
	}

	JdbcClient jdbc() {
		return this.jdbc;
	}

	/** Transactions of the table's own DataSource, whatever transaction manager the application has. */
	TransactionTemplate transactions() {
		return this.transactions;
	}

	String name() {
		return this.name;
	}

	/**
	 * The table's oid, resolved at the first call (the relay's start, once the table exists), so
	 * that every spelling of the table's name gives the same one.
	 * @throws IllegalStateException if the table does not exist
	 */
	long oid() {
		Long resolved = this.oid;
		if (resolved == null) {
			resolved = this.jdbc.sql("SELECT to_regclass(?)::oid").param(this.name).query(Long.class).optional().orElse(null);
			if (resolved == null) {
				throw new IllegalStateException("The outbox table " + this.name + " does not exist in the database of "
						+ "the outbox; it is created when the outbox relay starts");
			}
			this.oid = resolved;
		}
		return resolved;
	}

	/**
	 * Takes the transaction-scoped advisory lock of one publisher of this table, unless another
	 * transaction holds it. Call it inside {@link #transactions()}.
	 * @param publisher the publisher
	 * @return whether the lock is this transaction's
	 */
	boolean tryLock(String publisher) {
		// an oid is an unsigned 32-bit number: its bits make the lock's first int key
		return Boolean.TRUE.equals(this.jdbc.sql("SELECT pg_try_advisory_xact_lock(?, hashtext(?))")
			.params((int) oid(), publisher)
			.query(Boolean.class)
			.single());
	}

	@Override
	public String toString() {
		return this.name;
	}

}

package io.farine.outbox;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Whether the calling thread runs in a transaction of a given DataSource: one its transaction
 * manager bound to the thread, on a connection that does not auto-commit. Spring's
 * {@code isActualTransactionActive()} is also true in a transaction of another DataSource, where
 * a write to this one would commit at once and survive that transaction's rollback.
 */
final class DataSourceTransaction {

	private DataSourceTransaction() {
	}

	/**
	 * Whether a write to the DataSource now commits or rolls back with the current transaction.
	 * @param dataSource the DataSource
	 * @return {@code true} in a transaction of that DataSource, with synchronization active
	 */
	static boolean activeOn(DataSource dataSource) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()
				|| !TransactionSynchronizationManager.hasResource(dataSource)) {
			return false;
		}
		// bound, but perhaps only by a JdbcTemplate call under another database's transaction,
		// on a connection that auto-commits each statement
		Connection connection = DataSourceUtils.getConnection(dataSource);
		try {
			return !connection.getAutoCommit();
		}
		catch (SQLException ex) {
			throw new DataAccessResourceFailureException("Could not read the auto-commit mode of a connection", ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, dataSource);
		}
	}

}

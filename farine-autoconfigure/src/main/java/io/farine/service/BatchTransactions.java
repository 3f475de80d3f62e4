package io.farine.service;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Runs a batch of handler calls in one transaction, for group commit ({@code db_batch_size}): the
 * transaction, and each call in it, with or without a savepoint of its own. Each call goes through
 * {@link HandlerInvoker}'s path (arguments, the check made first, the handler, failures as
 * {@link HandlerException}); only its transaction differs. Made by {@link HandlerInvoker#batches()}.
 * <p>
 * Not part of farine's API: public because the consumers of another package run their batches
 * through it.
 */
public final class BatchTransactions {

	private final HandlerInvoker invoker;

	private final HandlerTransactions transactions;

	BatchTransactions(HandlerInvoker invoker, HandlerTransactions transactions) {
		this.invoker = invoker;
		this.transactions = transactions;
	}

	/**
	 * Whether the calls of a handler run in farine's transaction: the service has
	 * {@code db_transaction} on, the method declares no transaction of its own, and the application
	 * has a transaction manager (looked up at the first call).
	 * @param handler the handler
	 * @return {@code true} if they do
	 */
	public boolean transactional(HandlerMethod handler) {
		return this.transactions.of(handler) != null;
	}

	/**
	 * Runs work in one transaction of the kind a handler's calls run in, for a batch of calls
	 * made with {@link #invoke}: commits once when the work returns, rolls back when it throws.
	 * @param <R> what the work returns
	 * @param handler the handler, {@link #transactional(HandlerMethod) transactional}
	 * @param work the calls
	 * @return what the work returned
	 * @throws org.springframework.transaction.TransactionException or the
	 * {@link org.springframework.dao.DataAccessException} of a commit that failed, or what the work threw
	 */
	public <R> @Nullable R inOneTransaction(HandlerMethod handler, Supplier<R> work) {
		String previous = RunningService.enter(handler.service());
		try {
			return templates(handler).required().execute((status) -> work.get());
		}
		finally {
			RunningService.leave(previous);
		}
	}

	/**
	 * Calls a handler, and the check made first, in the transaction {@link #inOneTransaction}
	 * opened on this thread: in a savepoint of it, so that when either throws only its work is
	 * rolled back and the transaction goes on for the next call; or, without one, as part of it,
	 * so that a failure leaves the transaction to be rolled back whole (PostgreSQL takes no more
	 * statements in it).
	 * @param <T> what arrived
	 * @param handler the handler
	 * @param arguments makes its arguments
	 * @param input what arrived
	 * @param proceed runs before the handler; {@code false} skips it
	 * @param savepoint whether the call runs in a savepoint of its own
	 * @return what the handler returned; {@code null} when skipped
	 * @throws HandlerException if the arguments cannot be made (nothing ran then:
	 * {@link HandlerException#badInput()}), the handler throws, or the savepoint cannot be made or
	 * rolled back
	 */
	public <T> @Nullable Object invoke(HandlerMethod handler, ArgumentResolver<T> arguments, T input,
			BooleanSupplier proceed, boolean savepoint) {
		HandlerTransactions.Templates templates = templates(handler);
		return this.invoker.invoke(handler, arguments, input, proceed, (result) -> result, null,
				savepoint ? templates.nested() : null);
	}

	private HandlerTransactions.Templates templates(HandlerMethod handler) {
		HandlerTransactions.Templates templates = this.transactions.of(handler);
		if (templates == null) {
			throw new IllegalStateException(handler + " does not run in farine's transaction");
		}
		return templates;
	}

}

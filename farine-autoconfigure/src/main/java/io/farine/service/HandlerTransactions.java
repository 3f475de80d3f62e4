package io.farine.service;

import java.util.Optional;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The transactions farine opens around handler calls, for a handler that runs in farine's
 * transaction ({@code db_transaction} on, no {@code @Transactional} of its own): the application's
 * transaction manager, looked up at the first call, and the templates made from it once.
 */
final class HandlerTransactions {

	private final Supplier<@Nullable PlatformTransactionManager> manager;

	/** Empty until the first call looks the transaction manager up; then holds none or the templates. */
	private volatile @Nullable Optional<Templates> templates;

	/**
	 * @param manager the application's transaction manager, looked up at the first call; none when
	 * the application has no database
	 */
	HandlerTransactions(Supplier<@Nullable PlatformTransactionManager> manager) {
		this.manager = manager;
	}

	/**
	 * The templates of a handler's calls.
	 * @param handler the handler
	 * @return its templates; {@code null} when its calls run in no transaction of farine's
	 */
	@Nullable Templates of(HandlerMethod handler) {
		if (!handler.transactional()) {
			return null;
		}
		Optional<Templates> current = this.templates;
		if (current == null) {
			PlatformTransactionManager transactionManager = this.manager.get();
			current = Optional.ofNullable((transactionManager != null) ? Templates.of(transactionManager) : null);
			this.templates = current;
		}
		return current.orElse(null);
	}

	/**
	 * The transactions of handler calls: one of their own (or joining one already open), and a
	 * savepoint of the one open, for calls batched in one transaction.
	 */
	record Templates(TransactionTemplate required, TransactionTemplate nested) {

		static Templates of(PlatformTransactionManager manager) {
			TransactionTemplate nested = new TransactionTemplate(manager);
			nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
			return new Templates(new TransactionTemplate(manager), nested);
		}

	}

}

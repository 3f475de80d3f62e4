package io.farine.service;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

import org.springframework.aop.support.AopUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.AnnotationTransactionAttributeSource;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.ReflectionUtils;

/**
 * The one path by which farine calls user handlers, whatever brought the call (a delivery, an RPC
 * request, an SSE event, an {@code @Execute} run, a cluster event or query): observe the call,
 * resolve the arguments, open the transaction when the application has a database (on the
 * service's own database when its section names one: {@link RunningService}), call the
 * method, commit or roll back, and report any failure as a {@link HandlerException}. An
 * observation records the handler's own exception (the cause of the {@link HandlerException}),
 * whichever entry point it came through. Calls batched in one transaction (group commit) take
 * the same path through {@link #batches()}.
 * <p>
 * Not part of farine's API: public because every capability calls its handlers through it.
 */
public final class HandlerInvoker {

	private static final AnnotationTransactionAttributeSource transactionAttributes = new AnnotationTransactionAttributeSource(
			false);

	private final JsonCodec codec;

	private final HandlerTransactions transactions;

	private final BatchTransactions batches;

	private final Predicate<String> transactional;

	/**
	 * Creates an invoker.
	 * @param codec resolves parameter types
	 * @param transactionManager the application's transaction manager, looked up at the first call; none
	 * when the application has no database
	 * @param transactional whether a service's calls run in a transaction ({@code db_transaction})
	 */
	public HandlerInvoker(JsonCodec codec, Supplier<@Nullable PlatformTransactionManager> transactionManager,
			Predicate<String> transactional) {
		this.codec = codec;
		this.transactions = new HandlerTransactions(transactionManager);
		this.batches = new BatchTransactions(this, this.transactions);
		this.transactional = transactional;
	}

	/**
	 * Resolves a method once, for later calls: its parameter types and whether it declares its
	 * own transaction.
	 * @param service the service the method belongs to
	 * @param bean the bean (a proxy, if the bean is proxied)
	 * @param method the method, invocable on the bean
	 * @return the handler
	 */
	public HandlerMethod handler(String service, Object bean, Method method) {
		ReflectionUtils.makeAccessible(method);
		Type[] types = method.getGenericParameterTypes();
		JavaType[] javaTypes = new JavaType[types.length];
		for (int i = 0; i < types.length; i++) {
			javaTypes[i] = this.codec.type(types[i]);
		}
		Class<?> target = AopUtils.getTargetClass(bean);
		Method specific = AopUtils.getMostSpecificMethod(method, target);
		boolean own = transactionAttributes.getTransactionAttribute(specific, target) != null;
		return new HandlerMethod(service, bean, method, javaTypes, !own && this.transactional.test(service));
	}

	/**
	 * Calls a handler within an observation: started before the arguments are made, stopped once
	 * the call returned or failed, recording the handler's exception.
	 * @param <T> what arrived
	 * @param handler the handler
	 * @param observation the observation of the call, not started; {@link Observation#NOOP} for none
	 * @param arguments makes its arguments
	 * @param input what arrived
	 * @return what the handler returned
	 * @throws HandlerException if the arguments cannot be made, the handler throws, or the
	 * transaction does not commit
	 */
	public <T> @Nullable Object invoke(HandlerMethod handler, Observation observation, ArgumentResolver<T> arguments,
			T input) {
		if (observation.isNoop()) {
			return invoke(handler, arguments, input);
		}
		observation.start();
		try (Observation.Scope scope = observation.openScope()) {
			return invoke(handler, arguments, input);
		}
		catch (RuntimeException | Error ex) {
			observation.error(observed(ex));
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	/**
	 * Runs work around a handler call within an observation, for an entry point whose observation
	 * covers more than the call (a consume's retries and acknowledgement, an RPC call's reply):
	 * started before the work, stopped after it, recording the failure it reports.
	 * @param <A> what arrived
	 * @param <B> what else the work needs (the channel, the replies)
	 * @param observation the observation, not started; {@link Observation#NOOP} for none
	 * @param work handles what arrived (calling the handler through this invoker) and returns why
	 * it failed, or {@code null}; it does not throw
	 * @param input what arrived
	 * @param with what else the work needs
	 * @return what {@code work} returned
	 */
	public <A, B> @Nullable Throwable observe(Observation observation, BiFunction<A, B, @Nullable Throwable> work,
			A input, B with) {
		if (observation.isNoop()) {
			return work.apply(input, with);
		}
		observation.start();
		try (Observation.Scope scope = observation.openScope()) {
			Throwable failure = work.apply(input, with);
			if (failure != null) {
				observation.error(observed(failure));
			}
			return failure;
		}
		finally {
			observation.stop();
		}
	}

	/** What an observation records of a failure: the handler's own exception, not farine's wrapper. */
	private static Throwable observed(Throwable failure) {
		return (failure instanceof HandlerException handlerFailure) ? handlerFailure.getCause() : failure;
	}

	/**
	 * Calls a handler.
	 * @param <T> what arrived
	 * @param handler the handler
	 * @param arguments makes its arguments
	 * @param input what arrived
	 * @return what the handler returned
	 * @throws HandlerException if the arguments cannot be made, the handler throws, or the
	 * transaction does not commit
	 */
	public <T> @Nullable Object invoke(HandlerMethod handler, ArgumentResolver<T> arguments, T input) {
		return invoke(handler, arguments, input, (result) -> result);
	}

	/**
	 * Calls a handler and hands its result to work that must finish inside the same transaction,
	 * such as reading a database cursor the handler returned.
	 * @param <T> what arrived
	 * @param handler the handler
	 * @param arguments makes its arguments
	 * @param input what arrived
	 * @param inTransaction receives what the handler returned, before the commit
	 * @return what {@code inTransaction} returned, after the commit
	 * @throws HandlerException if the arguments cannot be made, the handler or {@code inTransaction}
	 * throws, or the transaction does not commit
	 */
	public <T> @Nullable Object invoke(HandlerMethod handler, ArgumentResolver<T> arguments, T input,
			ResultHandler inTransaction) {
		return invoke(handler, arguments, input, () -> true, inTransaction, null);
	}

	/**
	 * Calls a handler unless a check made first, inside the same transaction, says not to, such as
	 * an inbox that finds the message handled already.
	 * @param <T> what arrived
	 * @param handler the handler
	 * @param arguments makes its arguments
	 * @param input what arrived
	 * @param proceed runs in the transaction before the handler; {@code false} skips it
	 * @param inTransaction receives what the handler returned, before the commit
	 * @param timings marks where the time went, for a body that asked ({@code "__debug__": true})
	 * @return what {@code inTransaction} returned, after the commit; {@code null} when skipped
	 * @throws HandlerException as {@link #invoke(HandlerMethod, ArgumentResolver, Object, ResultHandler)}
	 */
	public <T> @Nullable Object invoke(HandlerMethod handler, ArgumentResolver<T> arguments, T input,
			java.util.function.BooleanSupplier proceed, ResultHandler inTransaction, @Nullable InvocationTimings timings) {
		HandlerTransactions.Templates templates = this.transactions.of(handler);
		return invoke(handler, arguments, input, proceed, inTransaction, timings,
				(templates != null) ? templates.required() : null);
	}

	/**
	 * The batches of calls in one transaction, for group commit.
	 * @return the batches of this invoker's calls
	 */
	public BatchTransactions batches() {
		return this.batches;
	}

	/** Calls a handler in a transaction made with {@code transactions}, or in none ({@code null}). */
	<T> @Nullable Object invoke(HandlerMethod handler, ArgumentResolver<T> arguments, T input,
			java.util.function.BooleanSupplier proceed, ResultHandler inTransaction, @Nullable InvocationTimings timings,
			@Nullable TransactionTemplate transactions) {
		// the service's database, when its section sets its own db_* keys, is chosen by it
		String previous = RunningService.enter(handler.service());
		try {
			return invokeAs(handler, arguments, input, proceed, inTransaction, timings, transactions);
		}
		finally {
			RunningService.leave(previous);
		}
	}

	private <T> @Nullable Object invokeAs(HandlerMethod handler, ArgumentResolver<T> arguments, T input,
			java.util.function.BooleanSupplier proceed, ResultHandler inTransaction, @Nullable InvocationTimings timings,
			@Nullable TransactionTemplate transactions) {
		@Nullable Object[] args;
		try {
			args = arguments.resolve(input);
		}
		catch (RuntimeException ex) {
			throw new HandlerException(handler, ex, true);
		}
		if (timings != null) {
			timings.argumentsConverted();
		}
		try {
			if (transactions == null) {
				return proceed.getAsBoolean() ? inTransaction.handle(call(handler, args, timings)) : null;
			}
			Object result = transactions.execute((status) -> {
				try {
					return proceed.getAsBoolean() ? inTransaction.handle(call(handler, args, timings)) : null;
				}
				catch (RuntimeException | Error ex) {
					throw ex;
				}
				catch (Exception ex) {
					throw new CheckedFailure(ex);
				}
			});
			if (timings != null) {
				timings.committed();
			}
			return result;
		}
		catch (CheckedFailure ex) {
			throw new HandlerException(handler, ex.getCause(), false);
		}
		catch (Exception | Error ex) {
			throw new HandlerException(handler, ex, false);
		}
	}

	private static @Nullable Object call(HandlerMethod handler, @Nullable Object[] args,
			@Nullable InvocationTimings timings) throws Exception {
		try {
			Object result = handler.method().invoke(handler.bean(), args);
			if (timings != null) {
				timings.handlerReturned();
			}
			return result;
		}
		catch (InvocationTargetException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof Exception exception) {
				throw exception;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

	/**
	 * Work on a handler's result that belongs inside its transaction.
	 */
	@FunctionalInterface
	public interface ResultHandler {

		/**
		 * Handles the result.
		 * @param result what the handler returned
		 * @return what the call returns once committed
		 * @throws Exception rolls the transaction back
		 */
		@Nullable Object handle(@Nullable Object result) throws Exception;

	}

	/** Carries a checked exception through the transaction template, which rolls back on it. */
	private static final class CheckedFailure extends RuntimeException {

		CheckedFailure(Exception cause) {
			super(cause);
		}

	}

}

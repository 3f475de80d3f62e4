package io.farine.service;

import java.lang.reflect.Method;

import tools.jackson.databind.JavaType;

/**
 * A user method that farine calls (a consumer, an RPC method, ...), with its parameter types
 * resolved once so that calls do no reflection beyond the invocation itself.
 * <p>
 * Not part of farine's API: public because every capability's endpoints hold one.
 *
 * @param service the service the method belongs to
 * @param bean the bean to call the method on
 * @param method the method
 * @param parameterTypes the Jackson type of each parameter
 * @param transactional whether farine runs each call in a transaction (when the application has a
 * transaction manager): false when the service says {@code db_transaction = false} or the method
 * declares its own with {@code @Transactional}
 */
public record HandlerMethod(String service, Object bean, Method method, JavaType[] parameterTypes,
		boolean transactional) {

	/**
	 * A short name for messages and logs: {@code Orders.onOrder}.
	 * @return the description
	 */
	public String description() {
		return this.method.getDeclaringClass().getSimpleName() + "." + this.method.getName();
	}

	@Override
	public String toString() {
		return description();
	}

}

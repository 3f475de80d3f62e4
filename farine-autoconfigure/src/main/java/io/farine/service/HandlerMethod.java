package io.farine.service;

import java.lang.reflect.Method;

import tools.jackson.databind.JavaType;

/**
 * A user method that farine calls (a consumer, an RPC method, ...), with its parameter types
 * resolved once so that calls do no reflection beyond the invocation itself.
 *
 * @param service the service the method belongs to
 * @param bean the bean to call the method on
 * @param method the method
 * @param parameterTypes the Jackson type of each parameter
 * @param ownTransaction whether the method declares its transaction itself ({@code @Transactional}),
 * so farine opens none around it
 */
public record HandlerMethod(String service, Object bean, Method method, JavaType[] parameterTypes,
		boolean ownTransaction) {

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

package io.farine.rpc;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.ResolvableType;

/**
 * One {@link OneWay} method of an {@link RpcClient} interface, decided once when the client is
 * created: the remote method, and whether the caller gets the confirm's future or returns at once.
 * A separate type from {@link RpcClientMethod}, so the calls that wait for replies stay as they are.
 */
final class OneWayMethod {

	private static final Log logger = LogFactory.getLog(OneWayMethod.class);

	private final String service;

	private final String name;

	private final boolean future;

	private final boolean varArgs;

	private OneWayMethod(String service, String name, boolean future, boolean varArgs) {
		this.service = service;
		this.name = name;
		this.future = future;
		this.varArgs = varArgs;
	}

	static OneWayMethod of(Method method, String service, String name) {
		Class<?> returned = method.getReturnType();
		ResolvableType type = ResolvableType.forMethodReturnType(method);
		boolean future = returned == CompletableFuture.class;
		boolean ofVoid = future && (type.getGeneric(0).resolve() == Void.class);
		if (!(returned == void.class || ofVoid)) {
			throw new IllegalStateException("@OneWay " + RpcClientMethod.description(method) + " returns " + type
					+ "; a one-way call has no result: use void or CompletableFuture<Void>.");
		}
		return new OneWayMethod(service, name, future, method.isVarArgs());
	}

	@Nullable Object invoke(@Nullable Object @Nullable [] arguments, RpcResults results) {
		RpcTransport.Call call = new RpcTransport.Call(this.service, this.name, arguments(arguments), Map.of(),
				java.time.Duration.ZERO, false);
		CompletableFuture<Void> sent = results.signal(call);
		if (this.future) {
			return sent;
		}
		sent.whenComplete((ok, error) -> {
			if (error != null) {
				logger.warn("One-way call " + call + " was not sent: " + error.getMessage());
			}
		});
		return null;
	}

	private List<?> arguments(@Nullable Object @Nullable [] arguments) {
		if (arguments == null || arguments.length == 0) {
			return List.of();
		}
		if (!this.varArgs) {
			return Arrays.asList(arguments);
		}
		List<@Nullable Object> spread = new ArrayList<>(Arrays.asList(arguments).subList(0, arguments.length - 1));
		Object last = arguments[arguments.length - 1];
		for (int i = 0; last != null && i < Array.getLength(last); i++) {
			spread.add(Array.get(last, i));
		}
		return spread;
	}

}

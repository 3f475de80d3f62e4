package io.farine.test;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.farine.amqp.Publish;
import io.farine.rpc.RpcClient;
import io.farine.service.ServiceEndpoints;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.util.ReflectionUtils;

/**
 * One service bean built for a unit test without Spring or a broker, as Nameko's
 * {@code worker_factory} builds a worker: every {@code @Publish} field gets a
 * {@link RecordingPublisher}, every {@code @RpcClient} interface (constructor parameter or field)
 * the client of its {@link RpcStubs}, and every other constructor parameter or
 * {@code @Autowired} field the dependency given with {@link Builder#with(Object)} that fits it.
 * <pre class="code">
 * RpcStubs&lt;CalculatorClient&gt; calculator = RpcStubs.of(CalculatorClient.class);
 * calculator.when("add", 1, 2).thenReturn(3);
 * ServiceUnderTest&lt;Orders&gt; orders = ServiceUnderTest.of(Orders.class).with(calculator).build();
 * orders.service().onOrder(new Order(1));
 * assertThat(orders.publisher("invoices").bodies()).hasSize(1);
 * </pre>
 * @param <T> the service class
 */
public final class ServiceUnderTest<T> {

	private final T service;

	private final Map<String, RecordingPublisher> publishers;

	private final Map<Class<?>, RpcStubs<?>> stubs;

	private ServiceUnderTest(T service, Map<String, RecordingPublisher> publishers, Map<Class<?>, RpcStubs<?>> stubs) {
		this.service = service;
		this.publishers = publishers;
		this.stubs = stubs;
	}

	/**
	 * Starts building a service bean.
	 * @param <T> the service class
	 * @param type the service class
	 * @return the builder
	 */
	public static <T> Builder<T> of(Class<T> type) {
		return new Builder<>(type);
	}

	/**
	 * The service bean.
	 * @return the bean
	 */
	public T service() {
		return this.service;
	}

	/**
	 * The publisher put in a {@code @Publish} field.
	 * @param field the field's name
	 * @return its publisher
	 * @throws IllegalArgumentException if the service has no such field
	 */
	public RecordingPublisher publisher(String field) {
		RecordingPublisher publisher = this.publishers.get(field);
		if (publisher == null) {
			throw new IllegalArgumentException(this.service.getClass().getSimpleName() + " has no @Publish field '"
					+ field + "'; it has " + this.publishers.keySet());
		}
		return publisher;
	}

	/**
	 * The stubs behind an {@code @RpcClient} interface the service was given, made empty when no
	 * stubs were passed to {@link Builder#with(Object)}.
	 * @param <C> the interface
	 * @param type the interface
	 * @return its stubs
	 * @throws IllegalArgumentException if the service takes no such client
	 */
	@SuppressWarnings("unchecked")
	public <C> RpcStubs<C> stubs(Class<C> type) {
		RpcStubs<?> stubs = this.stubs.get(type);
		if (stubs == null) {
			throw new IllegalArgumentException(this.service.getClass().getSimpleName() + " takes no "
					+ type.getSimpleName() + "; it takes " + this.stubs.keySet());
		}
		return (RpcStubs<C>) stubs;
	}

	/**
	 * Builds a {@link ServiceUnderTest}.
	 * @param <T> the service class
	 */
	public static final class Builder<T> {

		private final Class<T> type;

		private final List<Object> dependencies = new ArrayList<>();

		private final Map<Class<?>, RpcStubs<?>> stubs = new LinkedHashMap<>();

		private Builder(Class<T> type) {
			this.type = type;
		}

		/**
		 * Gives the service a dependency: {@link RpcStubs} for an {@code @RpcClient} interface, or
		 * any object for a constructor parameter or {@code @Autowired} field of its type.
		 * @param dependency the dependency
		 * @return this builder
		 */
		public Builder<T> with(Object dependency) {
			if (dependency instanceof RpcStubs<?> given) {
				this.stubs.put(given.type(), given);
			}
			else {
				this.dependencies.add(dependency);
			}
			return this;
		}

		/**
		 * Creates the service bean and fills its fields.
		 * @return the service under test
		 * @throws IllegalStateException if a constructor parameter or {@code @Autowired} field has
		 * nothing to take
		 */
		public ServiceUnderTest<T> build() {
			Constructor<T> constructor = constructor();
			Class<?>[] types = constructor.getParameterTypes();
			Object[] args = new Object[types.length];
			for (int i = 0; i < types.length; i++) {
				args[i] = dependency(types[i], "constructor parameter " + constructor.getParameters()[i].getName());
			}
			T service = BeanUtils.instantiateClass(constructor, args);
			String name = ServiceEndpoints.serviceName(this.type);
			Map<String, RecordingPublisher> publishers = new LinkedHashMap<>();
			ReflectionUtils.doWithFields(this.type, (field) -> {
				if (Modifier.isStatic(field.getModifiers())) {
					return;
				}
				ReflectionUtils.makeAccessible(field);
				Publish publish = field.getAnnotation(Publish.class);
				if (publish != null) {
					RecordingPublisher publisher = new RecordingPublisher(orElse(publish.exchange(), name),
							orElse(publish.routingKey(), name));
					publishers.put(field.getName(), publisher);
					ReflectionUtils.setField(field, service, publisher);
				}
				else if (ReflectionUtils.getField(field, service) == null && takesDependency(field)) {
					ReflectionUtils.setField(field, service, dependency(field.getType(), "field " + field.getName()));
				}
			});
			return new ServiceUnderTest<>(service, publishers, this.stubs);
		}

		private boolean takesDependency(Field field) {
			// an @RpcClient RpcOperations field takes what is given: farine-test has no stub for it
			return field.isAnnotationPresent(Autowired.class) || field.isAnnotationPresent(RpcClient.class)
					|| field.getType().isAnnotationPresent(RpcClient.class);
		}

		private Object dependency(Class<?> type, String what) {
			if (type.isInterface() && type.isAnnotationPresent(RpcClient.class)) {
				return this.stubs.computeIfAbsent(type, RpcStubs::of).client();
			}
			Object found = null;
			for (Object dependency : this.dependencies) {
				if (type.isInstance(dependency)) {
					if (found != null) {
						throw new IllegalStateException(this.type.getSimpleName() + "'s " + what + " (" + type.getName()
								+ ") fits two dependencies given: " + found + " and " + dependency);
					}
					found = dependency;
				}
			}
			if (found == null) {
				throw new IllegalStateException(this.type.getSimpleName() + "'s " + what + " needs a "
						+ type.getName() + ": pass one with ServiceUnderTest.of(" + this.type.getSimpleName()
						+ ".class).with(...)");
			}
			return found;
		}

		@SuppressWarnings("unchecked")
		private Constructor<T> constructor() {
			Constructor<?>[] constructors = this.type.getDeclaredConstructors();
			if (constructors.length == 1) {
				return (Constructor<T>) constructors[0];
			}
			for (Constructor<?> constructor : constructors) {
				if (constructor.isAnnotationPresent(Autowired.class)) {
					return (Constructor<T>) constructor;
				}
			}
			try {
				return this.type.getDeclaredConstructor();
			}
			catch (NoSuchMethodException ex) {
				throw new IllegalStateException(this.type.getName() + " has several constructors and none is "
						+ "@Autowired or takes no arguments: mark the one Spring uses with @Autowired", ex);
			}
		}

		private static String orElse(String value, String otherwise) {
			return value.isEmpty() ? otherwise : value;
		}

	}

}

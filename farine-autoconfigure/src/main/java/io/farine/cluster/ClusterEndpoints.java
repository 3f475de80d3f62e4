package io.farine.cluster;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.farine.service.ArgumentResolver;
import io.farine.service.HandlerInvoker;
import io.farine.service.HandlerMethod;
import io.farine.service.ServiceEndpoints;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds the {@link OnEvent} and {@link OnQuery} methods of the application's beans and keeps
 * them, each resolved once (its service, its handler, how its arguments are made). Two methods
 * answering one query name in one process are refused at start-up, naming both.
 */
public final class ClusterEndpoints implements BeanPostProcessor {

	private final ConfigurableBeanFactory beanFactory;

	private final Supplier<HandlerInvoker> invoker;

	private final Supplier<ClusterCodecs> codecs;

	private final Supplier<ServiceEndpoints> services;

	private final List<Endpoint> events = new CopyOnWriteArrayList<>();

	private final Map<String, Endpoint> queries = new ConcurrentHashMap<>();

	/**
	 * Creates the collector.
	 * @param beanFactory resolves {@code ${...}} in service names
	 * @param invoker calls the handlers, looked up at the first annotated bean
	 * @param codecs read payloads with each service's codec, looked up at the first annotated bean
	 * @param services where the services of these methods are added, so that they register
	 */
	public ClusterEndpoints(ConfigurableBeanFactory beanFactory, Supplier<HandlerInvoker> invoker,
			Supplier<ClusterCodecs> codecs, Supplier<ServiceEndpoints> services) {
		this.services = services;
		this.beanFactory = beanFactory;
		this.invoker = invoker;
		this.codecs = codecs;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> type = AopUtils.getTargetClass(bean);
		ReflectionUtils.doWithMethods(type, (method) -> {
			OnEvent event = AnnotatedElementUtils.findMergedAnnotation(method, OnEvent.class);
			OnQuery query = AnnotatedElementUtils.findMergedAnnotation(method, OnQuery.class);
			if (event != null) {
				this.events.add(endpoint(bean, type, method, event.value()));
			}
			if (query != null) {
				Endpoint endpoint = endpoint(bean, type, method, query.value());
				Endpoint other = this.queries.putIfAbsent(endpoint.name(), endpoint);
				if (other != null) {
					throw new IllegalStateException(other.handler() + " and " + endpoint.handler() + " both answer query '"
							+ endpoint.name() + "'; one process answers a query once: remove one @OnQuery");
				}
			}
		}, (method) -> method.isAnnotationPresent(OnEvent.class) || method.isAnnotationPresent(OnQuery.class));
		return bean;
	}

	private Endpoint endpoint(Object bean, Class<?> type, Method method, String name) {
		String service = this.beanFactory.resolveEmbeddedValue(ServiceEndpoints.serviceName(type));
		HandlerMethod handler = this.invoker.get().handler(service, bean, method);
		this.services.get().addHandler(handler);
		return new Endpoint(name, handler, arguments(handler, this.codecs.get().of(service)));
	}

	/** The payload (converted to the first other parameter's type, or raw bytes) and the event. */
	private static ArgumentResolver<Received> arguments(HandlerMethod handler, ClusterCodec codec) {
		Class<?>[] types = handler.method().getParameterTypes();
		if (types.length > 2) {
			throw new IllegalStateException(handler + " takes " + types.length + " parameters; an @OnEvent or @OnQuery "
					+ "method takes the payload, and optionally a ClusterEvent");
		}
		return (received) -> {
			Object[] args = new Object[types.length];
			for (int i = 0; i < types.length; i++) {
				if (types[i] == ClusterEvent.class) {
					args[i] = new ClusterEvent(received.name(), received.sender());
				}
				else {
					args[i] = codec.decode(received.body(), handler.parameterTypes()[i]);
				}
			}
			return args;
		};
	}

	List<Endpoint> events() {
		return this.events;
	}

	Map<String, Endpoint> queries() {
		return this.queries;
	}

	/** One annotated method. */
	record Endpoint(String name, HandlerMethod handler, ArgumentResolver<Received> arguments) {
	}

	/** An event or query as it arrived. */
	record Received(String name, String sender, byte[] body) {
	}

}

package io.farine.service;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.farine.amqp.Consume;
import io.farine.amqp.FarineMessage;
import io.farine.amqp.Publish;
import io.farine.amqp.Publisher;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds farine annotations on beans and turns them into endpoint descriptors in
 * {@link ServiceEndpoints}; injects {@link Publisher}s into {@code @Publish} fields. The one place
 * that discovers: it scans each class once and never opens a connection.
 */
public final class FarineAnnotationBeanPostProcessor implements BeanPostProcessor {

	private final Map<Class<?>, Members> members = new ConcurrentHashMap<>();

	private final ConfigurableBeanFactory beanFactory;

	private final ServiceEndpoints endpoints;

	private final java.util.function.Supplier<HandlerInvoker> invoker;

	private final java.util.function.Supplier<Function<PublishEndpoint, Publisher>> publishers;

	/**
	 * Creates the post-processor; its collaborators are looked up lazily, on the first annotated bean.
	 * @param beanFactory resolves {@code ${...}} placeholders in annotation attributes
	 * @param endpoints where descriptors go
	 * @param invoker resolves handler parameter types
	 * @param publishers makes the publisher of a {@code @Publish} field
	 */
	public FarineAnnotationBeanPostProcessor(ConfigurableBeanFactory beanFactory, ServiceEndpoints endpoints,
			java.util.function.Supplier<HandlerInvoker> invoker,
			java.util.function.Supplier<Function<PublishEndpoint, Publisher>> publishers) {
		this.beanFactory = beanFactory;
		this.endpoints = endpoints;
		this.invoker = invoker;
		this.publishers = publishers;
	}

	/**
	 * The service a bean class belongs to: its {@link FarineService} name, else its lower-cased
	 * simple class name (proxies unwrapped).
	 * @param type the bean class
	 * @return the service name
	 */
	public static String serviceName(Class<?> type) {
		Class<?> user = ClassUtils.getUserClass(type);
		FarineService annotation = AnnotatedElementUtils.findMergedAnnotation(user, FarineService.class);
		return (annotation != null) ? annotation.value() : user.getSimpleName().toLowerCase(Locale.ROOT);
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		Members found = members(AopUtils.getTargetClass(bean));
		if (!found.publishFields.isEmpty()) {
			String service = serviceName(AopUtils.getTargetClass(bean));
			for (Field field : found.publishFields) {
				Publish publish = field.getAnnotation(Publish.class);
				PublishEndpoint endpoint = new PublishEndpoint(service, field, resolve(publish.exchange(), service),
						resolve(publish.routingKey(), service));
				ReflectionUtils.makeAccessible(field);
				ReflectionUtils.setField(field, bean, this.publishers.get().apply(endpoint));
				this.endpoints.add(endpoint);
			}
		}
		return bean;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> target = AopUtils.getTargetClass(bean);
		Members found = members(target);
		if (found.consumeMethods.isEmpty()) {
			return bean;
		}
		String service = serviceName(target);
		for (Method method : found.consumeMethods) {
			Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
			Consume consume = method.getAnnotation(Consume.class);
			String routingKey = resolve(consume.routingKey(), service);
			HandlerMethod handler = this.invoker.get().handler(service, bean, invocable);
			int[] indexes = consumeParameters(method);
			this.endpoints.add(new ConsumeEndpoint(handler, resolve(consume.exchange(), service), routingKey,
					resolve(consume.queue(), routingKey), indexes[0], indexes[1]));
		}
		return bean;
	}

	private static int[] consumeParameters(Method method) {
		int body = -1;
		int message = -1;
		Class<?>[] types = method.getParameterTypes();
		for (int i = 0; i < types.length; i++) {
			if (types[i] == FarineMessage.class) {
				if (message >= 0) {
					throw invalid(method, "declares FarineMessage twice");
				}
				message = i;
			}
			else if (body >= 0) {
				throw invalid(method, "has more than one body parameter (parameters " + (body + 1) + " and " + (i + 1)
						+ "); a consumer takes the body and optionally a FarineMessage");
			}
			else {
				body = i;
			}
		}
		return new int[] { body, message };
	}

	private static IllegalStateException invalid(Method method, String problem) {
		return new IllegalStateException("@Consume method " + method.getDeclaringClass().getSimpleName() + "."
				+ method.getName() + " " + problem + ".");
	}

	private String resolve(String value, String fallback) {
		String resolved = value.isEmpty() ? "" : this.beanFactory.resolveEmbeddedValue(value);
		return (resolved == null || resolved.isEmpty()) ? fallback : resolved;
	}

	private Members members(Class<?> type) {
		return this.members.computeIfAbsent(type, Members::scan);
	}

	/** The annotated members of one class, found once. */
	private record Members(List<Field> publishFields, List<Method> consumeMethods) {

		static Members scan(Class<?> type) {
			List<Field> fields = new ArrayList<>();
			ReflectionUtils.doWithFields(type, (field) -> {
				if (field.getType() != Publisher.class) {
					throw new IllegalStateException("Field " + type.getSimpleName() + "." + field.getName()
							+ " is annotated with @Publish but is of type " + field.getType().getName()
							+ "; declare it as io.farine.amqp.Publisher.");
				}
				if (Modifier.isStatic(field.getModifiers()) || Modifier.isFinal(field.getModifiers())) {
					throw new IllegalStateException("Field " + type.getSimpleName() + "." + field.getName()
							+ " is annotated with @Publish but is static or final; make it a non-final instance field.");
				}
				fields.add(field);
			}, (field) -> field.isAnnotationPresent(Publish.class));
			List<Method> methods = new ArrayList<>();
			ReflectionUtils.doWithMethods(type, methods::add,
					(method) -> !method.isBridge() && method.isAnnotationPresent(Consume.class));
			return new Members(List.copyOf(fields), List.copyOf(methods));
		}

	}

}

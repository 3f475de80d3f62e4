package io.farine.autoconfigure;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

import io.farine.amqp.Consume;
import io.farine.amqp.FarineMessage;
import io.farine.amqp.Publish;
import io.farine.amqp.Publisher;
import io.farine.cluster.OnEvent;
import io.farine.cluster.OnQuery;
import io.farine.registry.MemberEvent;
import io.farine.registry.OnMemberEvent;
import io.farine.rpc.RpcClient;
import io.farine.rpc.RpcClientFactory;
import io.farine.rpc.RpcMethod;
import io.farine.rpc.RpcOperations;
import io.farine.execute.Execute;
import io.farine.sse.SseListener;
import io.farine.service.ConsumeEndpoint;
import io.farine.service.EventEndpoint;
import io.farine.service.ExecuteEndpoint;
import io.farine.service.HandlerInvoker;
import io.farine.service.HandlerMethod;
import io.farine.service.MemberEventEndpoint;
import io.farine.service.PublishEndpoint;
import io.farine.service.QueryEndpoint;
import io.farine.service.ResultAdapter;
import io.farine.service.RpcEndpoint;
import io.farine.service.ServiceEndpoints;
import io.farine.service.SseEndpoint;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.util.ReflectionUtils;

/**
 * Finds farine annotations on beans and turns them into endpoint descriptors in
 * {@link ServiceEndpoints}; injects {@link Publisher}s into {@code @Publish} fields and
 * {@link RpcOperations} into {@code @RpcClient} fields. The one place that discovers: it scans
 * each class once, chooses each handler's argument resolver then, and never opens a connection.
 */
final class FarineAnnotationBeanPostProcessor implements BeanPostProcessor {

	private final Map<Class<?>, Members> members = new ConcurrentHashMap<>();

	private final ConfigurableBeanFactory beanFactory;

	private final ServiceEndpoints endpoints;

	private final Supplier<HandlerInvoker> invoker;

	private final Supplier<Function<PublishEndpoint, Publisher>> publishers;

	private final Supplier<RpcClientFactory> rpcClients;

	private final EndpointArguments arguments;

	/**
	 * Creates the post-processor; its collaborators are looked up lazily, on the first annotated bean.
	 * @param beanFactory resolves {@code ${...}} placeholders in annotation attributes
	 * @param endpoints where descriptors go
	 * @param invoker resolves handler parameter types
	 * @param publishers makes the publisher of a {@code @Publish} field
	 * @param rpcClients makes the client of an {@code @RpcClient} field
	 * @param arguments chooses the argument resolver of each handler
	 */
	FarineAnnotationBeanPostProcessor(ConfigurableBeanFactory beanFactory, ServiceEndpoints endpoints,
			Supplier<HandlerInvoker> invoker, Supplier<Function<PublishEndpoint, Publisher>> publishers,
			Supplier<RpcClientFactory> rpcClients, EndpointArguments arguments) {
		this.arguments = arguments;
		this.beanFactory = beanFactory;
		this.endpoints = endpoints;
		this.invoker = invoker;
		this.publishers = publishers;
		this.rpcClients = rpcClients;
	}

	private String service(Class<?> type) {
		String name = ServiceEndpoints.serviceName(type);
		String resolved = this.beanFactory.resolveEmbeddedValue(name);
		if (resolved == null || resolved.isBlank()) {
			throw new IllegalStateException("The service name of " + type.getName() + " resolved to an empty value");
		}
		return resolved;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		Members found = members(AopUtils.getTargetClass(bean));
		if (found.isEmpty()) {
			return bean;
		}
		if (!found.rpcClientFields.isEmpty()) {
			this.endpoints.addCaller(service(AopUtils.getTargetClass(bean)));
		}
		for (Field field : found.rpcClientFields) {
			String target = resolve(field.getAnnotation(RpcClient.class).value(), "");
			if (target.isEmpty()) {
				throw new IllegalStateException("@RpcClient on " + field + " names no service");
			}
			ReflectionUtils.makeAccessible(field);
			ReflectionUtils.setField(field, bean,
					this.rpcClients.get().operations(target, field.getAnnotation(RpcClient.class).timeout()));
		}
		if (!found.publishFields.isEmpty()) {
			String service = service(AopUtils.getTargetClass(bean));
			for (Field field : found.publishFields) {
				Publish publish = field.getAnnotation(Publish.class);
				PublishEndpoint endpoint = new PublishEndpoint(service, field, resolve(publish.exchange(), service),
						resolve(publish.routingKey(), service), publish.mandatory());
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
		boolean cluster = !found.clusterMethods.isEmpty() && this.arguments.cluster();
		if (found.consumeMethods.isEmpty() && found.rpcMethods.isEmpty() && found.sseMethods.isEmpty()
				&& found.executeMethods.isEmpty() && !cluster && found.memberMethods.isEmpty()) {
			return bean;
		}
		String service = service(target);
		for (Method method : found.sseMethods) {
			SseListener sse = method.getAnnotation(SseListener.class);
			List<String> headers = java.util.Arrays.stream(sse.headers()).map((header) -> resolve(header, "")).toList();
			HandlerMethod handler = handler(service, bean, method);
			this.endpoints.add(new SseEndpoint(handler, resolve(sse.endpoint(), ""), resolve(sse.event(), ""), headers,
					sse.stopOnError(), this.arguments.sse(handler)));
		}
		for (Method method : found.executeMethods) {
			this.endpoints.add(new ExecuteEndpoint(handler(service, bean, method),
					method.getAnnotation(Execute.class).restart()));
		}
		for (Method method : found.rpcMethods) {
			RpcMethod rpc = method.getAnnotation(RpcMethod.class);
			HandlerMethod handler = handler(service, bean, method);
			String name = resolve(rpc.name(), method.getName());
			this.endpoints.add(new RpcEndpoint(handler, name, rpc.streaming(), rpc.concurrency(),
					this.arguments.rpc(handler, name), ResultAdapter.of(handler.method().getReturnType())));
		}
		for (Method method : found.consumeMethods) {
			Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
			Consume consume = method.getAnnotation(Consume.class);
			String routingKey = resolve(consume.routingKey(), service);
			HandlerMethod handler = this.invoker.get().handler(service, bean, invocable);
			int[] indexes = consumeParameters(method);
			this.endpoints.add(new ConsumeEndpoint(handler, resolve(consume.exchange(), service), routingKey,
					resolve(consume.queue(), routingKey), indexes[0], indexes[1], consume.idempotent(),
					this.arguments.consume(handler)));
		}
		for (Method method : cluster ? found.clusterMethods : List.<Method>of()) {
			HandlerMethod handler = handler(service, bean, method);
			OnEvent event = method.getAnnotation(OnEvent.class);
			OnQuery query = method.getAnnotation(OnQuery.class);
			if (event != null) {
				this.endpoints.add(new EventEndpoint(handler, event.value(), this.arguments.cluster(handler)));
			}
			if (query != null) {
				this.endpoints.add(new QueryEndpoint(handler, query.value(), this.arguments.cluster(handler),
						ResultAdapter.of(handler.method().getReturnType())));
			}
		}
		for (Method method : found.memberMethods) {
			if (method.getParameterCount() != 1 || method.getParameterTypes()[0] != MemberEvent.class) {
				throw new IllegalStateException("@OnMemberEvent method " + method.getDeclaringClass().getSimpleName()
						+ "." + method.getName() + " takes " + java.util.Arrays.toString(method.getParameterTypes())
						+ "; it must take one io.farine.registry.MemberEvent parameter.");
			}
			this.endpoints.add(new MemberEventEndpoint(handler(service, bean, method),
					resolve(method.getAnnotation(OnMemberEvent.class).service(), "")));
		}
		return bean;
	}

	private HandlerMethod handler(String service, Object bean, Method method) {
		return this.invoker.get().handler(service, bean, AopUtils.selectInvocableMethod(method, bean.getClass()));
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
	private record Members(List<Field> publishFields, List<Field> rpcClientFields, List<Method> consumeMethods,
			List<Method> rpcMethods, List<Method> sseMethods, List<Method> executeMethods,
			List<Method> clusterMethods, List<Method> memberMethods) {

		boolean isEmpty() {
			return this.publishFields.isEmpty() && this.rpcClientFields.isEmpty() && this.consumeMethods.isEmpty()
					&& this.rpcMethods.isEmpty() && this.sseMethods.isEmpty() && this.executeMethods.isEmpty()
					&& this.clusterMethods.isEmpty() && this.memberMethods.isEmpty();
		}

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
			List<Field> clients = new ArrayList<>();
			ReflectionUtils.doWithFields(type, (field) -> {
				if (field.getType() != RpcOperations.class) {
					throw new IllegalStateException("Field " + type.getSimpleName() + "." + field.getName()
							+ " is annotated with @RpcClient but is of type " + field.getType().getName()
							+ "; declare it as io.farine.rpc.RpcOperations, or annotate an interface with @RpcClient "
							+ "and inject that.");
				}
				if (Modifier.isStatic(field.getModifiers()) || Modifier.isFinal(field.getModifiers())) {
					throw new IllegalStateException("Field " + type.getSimpleName() + "." + field.getName()
							+ " is annotated with @RpcClient but is static or final; make it a non-final instance field.");
				}
				clients.add(field);
			}, (field) -> field.isAnnotationPresent(RpcClient.class));
			List<Method> consumers = new ArrayList<>();
			List<Method> rpc = new ArrayList<>();
			List<Method> sse = new ArrayList<>();
			List<Method> execute = new ArrayList<>();
			List<Method> cluster = new ArrayList<>();
			List<Method> member = new ArrayList<>();
			ReflectionUtils.doWithMethods(type, (method) -> {
				if (method.isAnnotationPresent(Consume.class)) {
					consumers.add(method);
				}
				if (method.isAnnotationPresent(RpcMethod.class)) {
					rpc.add(method);
				}
				if (method.isAnnotationPresent(SseListener.class)) {
					sse.add(method);
				}
				if (method.isAnnotationPresent(Execute.class)) {
					execute.add(method);
				}
				if (method.isAnnotationPresent(OnEvent.class) || method.isAnnotationPresent(OnQuery.class)) {
					cluster.add(method);
				}
				if (method.isAnnotationPresent(OnMemberEvent.class)) {
					member.add(method);
				}
			}, (method) -> !method.isBridge());
			return new Members(List.copyOf(fields), List.copyOf(clients), List.copyOf(consumers), List.copyOf(rpc),
					List.copyOf(sse), List.copyOf(execute), List.copyOf(cluster), List.copyOf(member));
		}

	}

}

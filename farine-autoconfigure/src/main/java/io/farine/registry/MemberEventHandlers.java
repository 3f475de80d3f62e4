package io.farine.registry;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.farine.service.ArgumentResolver;
import io.farine.service.FarineThreads;
import io.farine.service.HandlerException;
import io.farine.service.HandlerInvoker;
import io.farine.service.MemberEventEndpoint;
import io.farine.service.ServiceEndpoints;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Runs the {@code @OnMemberEvent} methods of the services this process runs: listens to the
 * registry's member events once every bean is made (before the registry starts and loads), and
 * calls each method that hears of the member's service through the {@link HandlerInvoker}, one
 * event at a time on a thread of its own, so that a slow method holds up neither the registry
 * nor its lease. A method that throws is logged; the next event still comes.
 */
final class MemberEventHandlers implements SmartInitializingSingleton, DisposableBean {

	private static final Log logger = LogFactory.getLog(MemberEventHandlers.class);

	private static final ArgumentResolver<MemberEvent> ARGUMENTS = (event) -> new @Nullable Object[] { event };

	private final ServiceRegistry registry;

	private final ServiceEndpoints endpoints;

	private final HandlerInvoker invoker;

	private final FarineThreads threads;

	private @Nullable ThreadPoolTaskScheduler thread;

	MemberEventHandlers(ServiceRegistry registry, ServiceEndpoints endpoints, HandlerInvoker invoker,
			FarineThreads threads) {
		this.registry = registry;
		this.endpoints = endpoints;
		this.invoker = invoker;
		this.threads = threads;
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<MemberEventEndpoint> methods = this.endpoints.runningMemberEvents();
		if (methods.isEmpty()) {
			return;
		}
		ThreadPoolTaskScheduler events = this.threads.scheduler("farine-member-events");
		events.initialize();
		this.thread = events;
		this.registry.addMemberListener((event) -> {
			List<MemberEventEndpoint> hearing = methods.stream()
				.filter((method) -> method.hears(event.member().service()))
				.toList();
			if (!hearing.isEmpty()) {
				events.execute(() -> hearing.forEach((method) -> call(method, event)));
			}
		});
	}

	private void call(MemberEventEndpoint method, MemberEvent event) {
		try {
			this.invoker.invoke(method.handler(), ARGUMENTS, event);
		}
		catch (HandlerException ex) {
			logger.warn(method.handler() + " failed on " + event.type() + " of " + event.member().service() + "/"
					+ event.member().instanceId() + ": " + ex.getCause());
		}
	}

	@Override
	public void destroy() {
		ThreadPoolTaskScheduler events = this.thread;
		if (events != null) {
			events.shutdown();
		}
	}

}

package io.farine.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Serf's view of membership over the discovery cache: turns each change of a registration into a
 * {@link MemberEvent} for the member listeners, and keeps the members that left or failed, with
 * that status, for {@code member_reap} after they went. A registration that goes while it says
 * {@code leaving} left (its process marks it so before it revokes its lease); one that goes while
 * {@code alive} failed (its lease expired, or its key was deleted). Changes arrive on the
 * registry's thread, in the order etcd saw them; {@link #gone()} may be read from any thread.
 */
final class Membership {

	static final Comparator<ServiceInstance> ORDER = Comparator.comparing(ServiceInstance::service)
		.thenComparing(ServiceInstance::instanceId);

	private static final Log logger = LogFactory.getLog(Membership.class);

	private final Duration reap;

	private final InstanceWatch.Tasks tasks;

	private final List<Consumer<MemberEvent>> listeners;

	/** Members that left or failed, by service and instance id, with when they went. */
	private final Map<String, Gone> gone = new ConcurrentHashMap<>();

	Membership(Duration reap, InstanceWatch.Tasks tasks, List<Consumer<MemberEvent>> listeners) {
		this.reap = reap;
		this.tasks = tasks;
		this.listeners = listeners;
	}

	/**
	 * A registration was put: a member joined (again), or changed. A change of status alone
	 * ({@code alive} to {@code leaving}) is no event: the leave comes when it goes.
	 * @param before what the cache held, {@code null} for none
	 * @param after what etcd holds now
	 */
	void put(@Nullable ServiceInstance before, ServiceInstance after) {
		if (before == null) {
			this.gone.remove(key(after));
			tell(MemberEvent.Type.JOIN, after);
		}
		else if (!before.withStatus(ServiceInstance.ALIVE).equals(after.withStatus(ServiceInstance.ALIVE))) {
			tell(MemberEvent.Type.UPDATE, after);
		}
	}

	/**
	 * A registration went: the member left if it was leaving, else it failed.
	 * @param before what the cache held
	 */
	void deleted(ServiceInstance before) {
		boolean left = ServiceInstance.LEAVING.equals(before.status()) || ServiceInstance.LEFT.equals(before.status());
		ServiceInstance member = before.withStatus(left ? ServiceInstance.LEFT : ServiceInstance.FAILED);
		this.gone.put(key(member), new Gone(member, System.nanoTime()));
		tell(left ? MemberEvent.Type.LEAVE : MemberEvent.Type.FAILED, member);
		this.tasks.schedule(this::reap, this.reap.toMillis() + 1);
	}

	/**
	 * An operator forced an instance out (Serf's {@code force-leave}): its members that failed
	 * count as left from now on.
	 * @param instanceId the instance
	 * @return the members it changed, status {@code left}
	 */
	List<ServiceInstance> forceLeft(String instanceId) {
		List<ServiceInstance> changed = new ArrayList<>();
		for (Map.Entry<String, Gone> entry : this.gone.entrySet()) {
			ServiceInstance member = entry.getValue().member();
			if (member.instanceId().equals(instanceId) && ServiceInstance.FAILED.equals(member.status())) {
				ServiceInstance left = member.withStatus(ServiceInstance.LEFT);
				entry.setValue(new Gone(left, entry.getValue().since()));
				tell(MemberEvent.Type.LEAVE, left);
				changed.add(left);
			}
		}
		return changed;
	}

	/**
	 * The members that left or failed less than {@code member_reap} ago.
	 * @return them, by service then instance id
	 */
	List<ServiceInstance> gone() {
		long now = System.nanoTime();
		return this.gone.values()
			.stream()
			.filter((gone) -> !gone.reaped(now, this.reap))
			.map(Gone::member)
			.sorted(ORDER)
			.toList();
	}

	/** Forgets the members gone {@code member_reap} ago, with a reap event each. */
	private void reap() {
		long now = System.nanoTime();
		this.gone.entrySet().removeIf((entry) -> {
			if (entry.getValue().reaped(now, this.reap)) {
				tell(MemberEvent.Type.REAP, entry.getValue().member());
				return true;
			}
			return false;
		});
	}

	private void tell(MemberEvent.Type type, ServiceInstance member) {
		MemberEvent event = new MemberEvent(type, member);
		for (Consumer<MemberEvent> listener : this.listeners) {
			try {
				listener.accept(event);
			}
			catch (RuntimeException ex) {
				logger.warn("Member listener " + listener + " failed on " + event, ex);
			}
		}
	}

	private static String key(ServiceInstance member) {
		return member.service() + "/" + member.instanceId();
	}

	/** A member that went, and when ({@link System#nanoTime()}). */
	private record Gone(ServiceInstance member, long since) {

		boolean reaped(long now, Duration reap) {
			return now - this.since >= reap.toNanos();
		}

	}

}

package io.farine.registry;

import java.util.Objects;

/**
 * A change in the cluster's membership, as Serf's member events: an instance of a service
 * joined, changed, left, failed, or was reaped. Received by {@link OnMemberEvent} methods and
 * {@link ServiceRegistry#addMemberListener} listeners (docs/registry.md).
 *
 * @param type what happened
 * @param member the instance, with its status after the change ({@code alive}, {@code leaving},
 * {@code left} or {@code failed})
 */
public record MemberEvent(Type type, ServiceInstance member) {

	public MemberEvent {
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(member, "member");
	}

	/** What happened to a member, Serf's {@code member-join}, {@code member-leave}, ... */
	public enum Type {

		/** Its registration appeared: a process started, or came back after its lease was lost. */
		JOIN,

		/** Its registration went after it was marked {@code leaving}: a graceful stop, or a force-leave. */
		LEAVE,

		/** Its registration went without leaving first: its lease expired, or its key was deleted. */
		FAILED,

		/** Its registration changed while it lived: its tags, or another registered field. */
		UPDATE,

		/** A member that left or failed was forgotten, {@code member_reap} after it went. */
		REAP

	}

}

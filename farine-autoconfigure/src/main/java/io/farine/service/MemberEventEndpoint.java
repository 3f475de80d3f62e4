package io.farine.service;

import java.util.Objects;

/**
 * An {@code @OnMemberEvent} method found on a service bean: the registry's member events it
 * receives. Plain data, so that {@code service} knows nothing of the registry that runs it.
 *
 * @param handler the method to call, which takes the event as its one parameter
 * @param of the service whose members it hears of, or {@code ""} for every service
 */
public record MemberEventEndpoint(HandlerMethod handler, String of) {

	public MemberEventEndpoint {
		Objects.requireNonNull(handler, "handler");
		Objects.requireNonNull(of, "of");
	}

	/**
	 * Whether the method hears of a member of a service.
	 * @param service the member's service
	 * @return true for its own service, or for any when it names none
	 */
	public boolean hears(String service) {
		return this.of.isEmpty() || this.of.equals(service);
	}

}

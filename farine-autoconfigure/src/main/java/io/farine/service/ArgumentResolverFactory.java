package io.farine.service;

import java.lang.annotation.Annotation;

/**
 * Chooses, once at discovery, the argument resolver of each handler method that carries one of a
 * capability's annotations, from the method's signature and its service's settings. Each
 * capability with handler methods defines one as a bean, beside its package-private resolvers;
 * the bean post-processor asks it for every such method it finds. Not part of farine's API:
 * public because autoconfigure's bean post-processor calls each capability's.
 */
public interface ArgumentResolverFactory {

	/**
	 * Whether it chooses the resolvers of methods with this annotation.
	 * @param annotation a handler annotation, such as {@code @Consume}
	 * @return true if it does
	 */
	boolean supports(Class<? extends Annotation> annotation);

	/**
	 * Chooses the resolver of one method.
	 * @param handler the method, its signature already checked by discovery
	 * @param name the endpoint's name: an {@code @RpcMethod}'s RPC name, else the method's name
	 * @return the resolver its endpoint keeps
	 * @throws IllegalStateException if the method's signature or its service's settings do not fit
	 */
	ArgumentResolver<?> resolver(HandlerMethod handler, String name);

}

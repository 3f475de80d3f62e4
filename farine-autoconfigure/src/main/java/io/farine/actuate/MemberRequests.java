package io.farine.actuate;

import java.util.List;
import java.util.Map;

import io.farine.registry.EtcdServiceRegistry;
import io.farine.registry.ServiceInstance;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * The {@code members} paths of the {@code farine} endpoint, Serf's {@code members} and
 * {@code force-leave} for an operator:
 * <ul>
 * <li>{@code GET members}: every member the registry knows, with its status (those that left or
 * failed until {@code member_reap});</li>
 * <li>{@code DELETE members/<instance id>}: removes the registrations of a process that was killed
 * or hangs, which every process then sees leave.</li>
 * </ul>
 * 404 without a registry or for an instance it does not know, 400 for this process's own id, 503
 * when etcd does not answer.
 */
final class MemberRequests {

	static final String PATH = "members";

	private final ObjectProvider<EtcdServiceRegistry> registry;

	MemberRequests(ObjectProvider<EtcdServiceRegistry> registry) {
		this.registry = registry;
	}

	WebEndpointResponse<Object> read(String[] path) {
		EtcdServiceRegistry etcd = this.registry.getIfAvailable();
		if (path.length != 1) {
			return FarineEndpoint.unknownPath(path);
		}
		if (etcd == null) {
			return noRegistry();
		}
		return new WebEndpointResponse<>(Map.of("members", etcd.members()));
	}

	WebEndpointResponse<Object> delete(String[] path) {
		EtcdServiceRegistry etcd = this.registry.getIfAvailable();
		if (path.length != 2) {
			return FarineEndpoint.unknownPath(path);
		}
		if (etcd == null) {
			return noRegistry();
		}
		try {
			List<ServiceInstance> removed = etcd.forceLeave(path[1]);
			if (removed.isEmpty()) {
				return new WebEndpointResponse<>(Map.of("error", "The registry knows no instance '" + path[1] + "'"),
						WebEndpointResponse.STATUS_NOT_FOUND);
			}
			return new WebEndpointResponse<>(Map.of("removed", removed));
		}
		catch (IllegalArgumentException ex) {
			return new WebEndpointResponse<>(Map.of("error", String.valueOf(ex.getMessage())),
					WebEndpointResponse.STATUS_BAD_REQUEST);
		}
		catch (IllegalStateException ex) {
			return new WebEndpointResponse<>(Map.of("error", String.valueOf(ex.getMessage())),
					WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
		}
	}

	private static WebEndpointResponse<Object> noRegistry() {
		return new WebEndpointResponse<>(Map.of("error", "This application has no service registry"),
				WebEndpointResponse.STATUS_NOT_FOUND);
	}

}

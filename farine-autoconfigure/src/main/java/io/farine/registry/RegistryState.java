package io.farine.registry;

/** What the registry of this process is doing. */
public enum RegistryState {

	/** No etcd is configured: nothing is registered and lookups find nothing. */
	OFF,

	/** Registering, or registering again after the lease was lost: etcd does not answer yet. */
	REGISTERING,

	/** The process's services are registered and their lease is kept alive. */
	REGISTERED,

	/** Stopped: the lease was revoked. */
	STOPPED

}

package io.farine.test;

import java.util.ArrayList;
import java.util.List;

/** What a test opened (contexts, etcd processes, clients), closed last-opened first. */
public final class Closer implements AutoCloseable {

	private final List<AutoCloseable> closeables = new ArrayList<>();

	public <T extends AutoCloseable> T add(T closeable) {
		this.closeables.add(closeable);
		return closeable;
	}

	@Override
	public void close() throws Exception {
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			this.closeables.get(i).close();
		}
		this.closeables.clear();
	}

}

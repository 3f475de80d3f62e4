package io.farine.outbox;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import javax.sql.DataSource;

import io.farine.service.FarinePhases;

import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;

/**
 * The outbox relays and inbox purges of the databases other than the primary one, when the
 * application's DataSource routes connections (farine's, for services whose sections name a
 * database of their own): a handler's transaction stores its messages and its inbox rows in its
 * service's database, so each such database gets its tables at start, a relay that sends what it
 * stores, and a purge. Started and stopped with the primary relay, in its phase.
 */
final class ServiceOutboxes implements SmartLifecycle, ApplicationListener<ContextRefreshedEvent> {

	private final List<OutboxRelay> relays;

	private final List<InboxPurge> purges;

	private volatile boolean running;

	/**
	 * Creates the inbox table of each other database; touches no database otherwise.
	 * @param relay makes the relay of a database's outbox table
	 * @param inboxTable the inbox table
	 * @param purge makes the purge of a database's inbox
	 */
	ServiceOutboxes(List<DataSource> databases, Function<DataSource, OutboxRelay> relay, String inboxTable,
			Function<JdbcInbox, InboxPurge> purge) {
		List<OutboxRelay> made = new ArrayList<>();
		List<InboxPurge> purges = new ArrayList<>();
		for (DataSource database : databases) {
			made.add(relay.apply(database));
			purges.add(purge.apply(new JdbcInbox(database, inboxTable)));
		}
		this.relays = List.copyOf(made);
		this.purges = List.copyOf(purges);
	}

	/**
	 * The databases behind a routing DataSource other than its default one, each once.
	 * @param dataSource the application's DataSource
	 * @return none unless it routes
	 */
	static List<DataSource> others(DataSource dataSource) {
		if (!(dataSource instanceof AbstractRoutingDataSource routing)) {
			return List.of();
		}
		Set<DataSource> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		seen.add(routing.getResolvedDefaultDataSource());
		List<DataSource> others = new ArrayList<>();
		for (DataSource target : routing.getResolvedDataSources().values()) {
			if (seen.add(target)) {
				others.add(target);
			}
		}
		return others;
	}

	/** Wakes every relay: a commit stored rows in one of the databases. */
	void wake() {
		this.relays.forEach(OutboxRelay::wake);
	}

	/**
	 * How many messages the relays sent, for tests.
	 * @return the count since start
	 */
	long sent() {
		return this.relays.stream().mapToLong(OutboxRelay::sent).sum();
	}

	@Override
	public void onApplicationEvent(ContextRefreshedEvent event) {
		this.relays.forEach((relay) -> relay.onApplicationEvent(event));
	}

	@Override
	public void start() {
		this.relays.forEach(OutboxRelay::start);
		this.purges.forEach(InboxPurge::start);
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.purges.forEach(InboxPurge::stop);
		this.relays.forEach(OutboxRelay::stop);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return FarinePhases.OUTBOX;
	}

}

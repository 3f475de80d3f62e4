package io.farine.benchmarks;

/** One way of doing a scenario's work (farine, Spring AMQP, the raw client), kept open across rounds. */
interface Subject extends AutoCloseable {

	/**
	 * The subject's name in the results.
	 * @return the name
	 */
	String name();

	@Override
	default void close() throws Exception {
	}

}

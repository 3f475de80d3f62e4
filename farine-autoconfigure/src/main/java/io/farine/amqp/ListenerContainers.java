package io.farine.amqp;

import java.time.Duration;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;

/**
 * Makes the listener containers of every farine consumer alike: direct containers, whose
 * listeners run on the AMQP client's consumer threads (no thread of their own), resuming by
 * themselves after the connection is lost (checked every second) and declaring their queue again
 * if it vanished; and, for consumers that handle batches in one transaction
 * ({@code db_batch_size}), simple containers configured the same way.
 */
final class ListenerContainers {

	private ListenerContainers() {
	}

	static DirectMessageListenerContainer start(ConnectionFactory connections, RabbitAdmin admin, String queue,
			AcknowledgeMode acknowledgeMode, int prefetch, int consumers, MessageListener listener, String name) {
		return start(connections, admin, queue, acknowledgeMode, prefetch, consumers, 1, listener, name);
	}

	/**
	 * Starts a container whose acknowledgements cover up to {@code messagesPerAck} messages each
	 * ({@link GroupedAcks}: never the container's own grouping, which could ack a tag twice).
	 */
	static DirectMessageListenerContainer start(ConnectionFactory connections, RabbitAdmin admin, String queue,
			AcknowledgeMode acknowledgeMode, int prefetch, int consumers, int messagesPerAck, MessageListener listener,
			String name) {
		DirectMessageListenerContainer container = new DirectMessageListenerContainer(connections);
		boolean grouped = messagesPerAck > 1 && acknowledgeMode == AcknowledgeMode.AUTO;
		container.setQueueNames(queue);
		container.setAcknowledgeMode(grouped ? AcknowledgeMode.MANUAL : acknowledgeMode);
		container.setPrefetchCount(prefetch);
		container.setConsumersPerQueue(consumers);
		container.setAmqpAdmin(admin);
		container.setMissingQueuesFatal(false);
		container.setMonitorInterval(1000);
		container.setRecoveryInterval(1000);
		// the default 5 s between restart attempts made recovery after a cut wait 5 s or more
		container.setFailedDeclarationRetryInterval(1000);
		container.setMessagePropertiesConverter(ClientCharsetConverter.INSTANCE);
		// a listener of auto-acknowledged messages that throws must not bring its message back for ever
		container.setDefaultRequeueRejected(false);
		container.setMessageListener(grouped ? new GroupedAcks(listener, messagesPerAck) : listener);
		container.setBeanName(name);
		container.afterPropertiesSet();
		container.start();
		return container;
	}

	/**
	 * Starts a container handing its listener batches of up to {@code batchSize} messages, settled
	 * by the listener: whatever arrived within {@code window} of the batch's first message (each
	 * next message is waited for at most that long, so a lone message waits about one window, at
	 * most two). A simple container, the one Spring AMQP gathers batches in: each consumer has a
	 * thread of its own that waits for its next message; otherwise alike to the direct ones.
	 */
	static SimpleMessageListenerContainer startBatching(ConnectionFactory connections, RabbitAdmin admin, String queue,
			int prefetch, int consumers, int batchSize, Duration window, ChannelAwareBatchMessageListener listener,
			String name) {
		SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connections);
		long windowMillis = Math.max(1, window.toMillis());
		container.setConsumerBatchEnabled(true);
		container.setBatchSize(batchSize);
		container.setBatchReceiveTimeout(windowMillis);
		container.setReceiveTimeout(windowMillis);
		container.setQueueNames(queue);
		container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
		// room for two batches: the next one arrives while one commits, and a batch cannot fill with
		// fewer messages on the way; 0 stays 0, no limit
		container.setPrefetchCount((prefetch == 0) ? 0 : Math.max(prefetch, 2 * batchSize));
		container.setConcurrentConsumers(consumers);
		container.setAmqpAdmin(admin);
		container.setMissingQueuesFatal(false);
		container.setRecoveryInterval(1000);
		container.setFailedDeclarationRetryInterval(1000);
		container.setMessagePropertiesConverter(ClientCharsetConverter.INSTANCE);
		container.setDefaultRequeueRejected(false);
		container.setMessageListener(listener);
		container.setBeanName(name);
		container.afterPropertiesSet();
		container.start();
		return container;
	}

}

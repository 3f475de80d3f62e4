package io.farine.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;

/**
 * Spring's conversion of AMQP properties, decoding and encoding text headers under the charset
 * name the RabbitMQ client uses for every frame it reads and writes, {@value #CLIENT_CHARSET}.
 * The JDK remembers the last two charset names looked up, in fields shared by all threads. Spring's
 * listener containers ask for {@code "UTF-8"} with each message, so every lookup of either name
 * missed the first entry and swapped the two: a slow path and a write contended by all threads,
 * about 4% of the JVM's profile samples on the RPC path. One name keeps every lookup on the fast path.
 */
final class ClientCharsetConverter extends DefaultMessagePropertiesConverter {

	/** The charset name {@code com.rabbitmq.client.impl.ValueReader} and {@code ValueWriter} use. */
	static final String CLIENT_CHARSET = "utf-8";

	/** The one instance: the converter holds no state. */
	static final ClientCharsetConverter INSTANCE = new ClientCharsetConverter();

	private ClientCharsetConverter() {
	}

	@Override
	public MessageProperties toMessageProperties(AMQP.BasicProperties source, @Nullable Envelope envelope,
			String charset) {
		return super.toMessageProperties(source, envelope, CLIENT_CHARSET);
	}

	@Override
	public AMQP.BasicProperties fromMessageProperties(MessageProperties source, String charset) {
		return super.fromMessageProperties(source, CLIENT_CHARSET);
	}

}

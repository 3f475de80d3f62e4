package io.farine.samples.publishconsume;

import java.util.Map;

import io.farine.amqp.Publish;
import io.farine.amqp.Publisher;
import io.farine.execute.Execute;
import io.farine.service.FarineService;

import org.springframework.stereotype.Component;

/**
 * Service {@code publish}: sends {@code {"dummy": true}} every two seconds. An {@code @Execute}
 * method, so it runs only when the service does: not with {@code --start=consume}.
 */
@Component
@FarineService("publish")
public class PublishService {

	@Publish(exchange = "consume", routingKey = "routing_key")
	Publisher publish;

	@Execute
	void publishDummy() throws InterruptedException {
		this.publish.publish(Map.of("dummy", true));
		Thread.sleep(2000);
	}

}

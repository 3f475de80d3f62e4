package io.farine.samples.publishconsume;

import java.util.Map;

import io.farine.amqp.Publish;
import io.farine.amqp.Publisher;
import io.farine.service.FarineService;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Service {@code publish}: sends {@code {"dummy": true}} every two seconds. */
@Component
@FarineService("publish")
public class PublishService {

	@Publish(exchange = "consume", routingKey = "routing_key")
	Publisher publish;

	@Scheduled(fixedDelay = 2000, initialDelay = 1000)
	void publishDummy() {
		this.publish.publish(Map.of("dummy", true));
	}

}

package io.farine.registry;

import io.farine.autoconfigure.FarineAutoConfiguration;
import io.farine.execute.Execute;
import io.farine.rpc.RpcMethod;
import io.farine.service.FarineService;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * A small farine application that registers service {@code ${t.service}} (an RPC method and a
 * background method); run in the test JVM or, to be killed, in its own.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({ JacksonAutoConfiguration.class, FarineAutoConfiguration.class })
public class RegisteringApplication {

	public static void main(String[] args) {
		start(args);
	}

	static ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(RegisteringApplication.class, Pinger.class).web(WebApplicationType.NONE)
			.properties("farine.defaults.amqp_uri=amqp://guest:guest@127.0.0.1:5672")
			.properties(properties)
			.run();
	}

	@FarineService("${t.service}")
	static class Pinger {

		@RpcMethod
		String ping() {
			return "pong";
		}

		@Execute(restart = false)
		void ready() {
		}

	}

}

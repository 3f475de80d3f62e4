package io.farine.samples.rpc;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The rpc sample: service {@link Calculator} serves {@code add}, {@code echo}, {@code count} and
 * {@code boom}; service {@link Client} calls each once the application is ready.
 */
@SpringBootApplication
public class RpcApplication {

	public static void main(String[] args) {
		SpringApplication.run(RpcApplication.class, args);
	}

}

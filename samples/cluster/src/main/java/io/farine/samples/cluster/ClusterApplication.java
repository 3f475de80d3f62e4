package io.farine.samples.cluster;

import java.util.Arrays;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The cluster sample. Without arguments it runs service {@link Node}: it answers query
 * {@code status} and logs every event. With {@code --query=status} or {@code --event=<name>} it
 * sends one ({@link OneShot}), prints the answers as they arrive, and exits; that process does not
 * run the node itself. Run three nodes, then one query: three answers.
 */
@SpringBootApplication
public class ClusterApplication {

	public static void main(String[] args) {
		boolean oneShot = Arrays.stream(args).anyMatch((arg) -> arg.startsWith("--query=") || arg.startsWith("--event="));
		SpringApplication application = new SpringApplication(ClusterApplication.class);
		if (oneShot) {
			application.setDefaultProperties(java.util.Map.of("farine.services.node.enabled", "false"));
		}
		org.springframework.context.ConfigurableApplicationContext context = application.run(args);
		if (oneShot) {
			System.exit(SpringApplication.exit(context));
		}
	}

}

package io.farine.rpc.scan;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Configuration;

/** Marks this package as the application's, as {@code @SpringBootApplication} does. */
@Configuration(proxyBeanMethods = false)
@AutoConfigurationPackage
public class ScannedClients {

}

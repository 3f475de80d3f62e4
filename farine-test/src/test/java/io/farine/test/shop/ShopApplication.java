package io.farine.test.shop;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The small application {@code FarineTestIntegrationTests} drives through the broker. */
@SpringBootApplication
public class ShopApplication {

}

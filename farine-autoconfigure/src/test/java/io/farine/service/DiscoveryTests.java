package io.farine.service;

import io.farine.amqp.Consume;
import io.farine.amqp.FarineMessage;
import io.farine.amqp.Publish;
import io.farine.amqp.Publisher;
import io.farine.autoconfigure.FarineAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Discovery of annotated members: descriptors and start-up errors, with no broker (nothing is
 * started without a consumer, and discovery opens no connection).
 */
class DiscoveryTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FarineAutoConfiguration.class))
		.withPropertyValues("farine.defaults.amqp_uri=amqp://guest:guest@127.0.0.1:1", "farine.defaults.auto_declare=false");

	@Test
	void publishFieldGetsAPublisherBoundToTheServiceNameByDefault() {
		this.runner.withUserConfiguration(Shop.class).run((context) -> {
			Publisher publisher = context.getBean(Shop.class).events;
			assertThat(publisher.exchange()).isEqualTo("shop");
			assertThat(publisher.routingKey()).isEqualTo("shop");
			assertThat(context.getBean(ServiceEndpoints.class).publishers()).singleElement()
				.satisfies((endpoint) -> assertThat(endpoint.service()).isEqualTo("shop"));
		});
	}

	@Test
	void aHandlerOnABeanCreatedAfterStartUpIsAClearErrorNotASilentlyIdleHandler() {
		this.runner.withBean("late", Late.class, Late::new, (definition) -> definition.setLazyInit(true))
			.run((context) -> assertThatThrownBy(() -> context.getBean(Late.class)).rootCause()
				.hasMessageContaining("Late.on of service 'late' was found after the application started"));
	}

	@Test
	void publishOnAFieldOfAnotherTypeFailsStartUpNamingTheField() {
		this.runner.withUserConfiguration(WrongField.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessage("Field WrongField.events is annotated with @Publish but is of type java.lang.String; "
						+ "declare it as io.farine.amqp.Publisher."));
	}

	@Test
	void consumerWithTwoBodyParametersFailsStartUpNamingTheMethod() {
		this.runner.withUserConfiguration(TwoBodies.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("@Consume method TwoBodies.on has more than one body parameter"));
	}

	@Test
	void memberEventMethodThatTakesNoMemberEventFailsStartUpNamingTheMethod() {
		this.runner.withUserConfiguration(WrongMemberEvent.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("@OnMemberEvent method WrongMemberEvent.on takes [class java.lang.String]")
				.hasMessageContaining("one io.farine.registry.MemberEvent parameter"));
	}

	@Test
	void consumerDescriptorRecordsWhereTheBodyAndTheMessageGo() {
		this.runner.withUserConfiguration(MessageFirst.class)
			.withPropertyValues("farine.services.messagefirst.enabled=false")
			.run((context) -> assertThat(context.getBean(ServiceEndpoints.class).consumers()).singleElement()
				.satisfies((endpoint) -> {
					assertThat(endpoint.messageIndex()).isZero();
					assertThat(endpoint.bodyIndex()).isEqualTo(1);
					assertThat(endpoint.queue()).isEqualTo("audit");
					assertThat(endpoint.exchange()).isEqualTo("messagefirst");
				}));
	}

	@Test
	void serviceIsNamedAfterItsLowerCasedClassUnlessFarineServiceNamesIt() {
		assertThat(ServiceEndpoints.serviceName(TwoBodies.class)).isEqualTo("twobodies");
		assertThat(ServiceEndpoints.serviceName(Named.class)).isEqualTo("billing");
	}

	@FarineService("billing")
	static class Named {

	}

	static class Shop {

		@Publish
		Publisher events;

	}

	static class WrongField {

		@Publish
		String events;

	}

	static class WrongMemberEvent {

		@io.farine.registry.OnMemberEvent
		void on(String member) {
		}

	}

	static class TwoBodies {

		@Consume
		void on(String a, String b) {
		}

	}

	static class MessageFirst {

		@Consume(routingKey = "audit")
		void on(FarineMessage message, byte[] body) {
		}

	}

	static class Late {

		@Consume
		void on(String body) {
		}

	}

}

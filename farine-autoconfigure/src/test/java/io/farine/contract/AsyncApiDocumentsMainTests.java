package io.farine.contract;

import java.nio.file.Files;
import java.nio.file.Path;

import io.farine.test.Rabbit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link AsyncApiDocuments#main}, what a build runs: it writes the document of an application
 * without running it (no queue declared, no runner called).
 */
class AsyncApiDocumentsMainTests {

	@TempDir
	Path directory;

	@Test
	void writesTheDocumentAndStartsNothing() throws Exception {
		String service = Rabbit.unique("asyncapimain");
		String queue = Rabbit.unique("asyncapimain-orders");
		Path ini = this.directory.resolve("farine.ini");
		Files.writeString(ini, "[DEFAULT]\namqp_uri = " + Rabbit.URI + "\n");
		Path file = this.directory.resolve("contracts/asyncapi.json");
		ContractApp.ran.set(false);
		AsyncApiDocuments.main(new String[] { ContractApp.class.getName(), file.toString(), "--FARINE_INI=" + ini,
				"--t.service=" + service, "--t.feed=" + Rabbit.unique("asyncapimainfeed"),
				"--t.exchange=" + Rabbit.unique("asyncapimain"), "--t.queue=" + queue });
		JsonNode document = new JsonMapper().readTree(file.toFile());
		assertThat(document.path("operations").path(service + ".onOrder").path("action").asString())
			.isEqualTo("receive");
		assertThat(AsyncApiParser.validate(file)).contains("valid AsyncAPI 3.0.0");
		assertThat(ContractApp.ran).as("an ApplicationRunner ran").isFalse();
		try (Rabbit rabbit = new Rabbit()) {
			assertThat(rabbit.queueExists(queue)).as("the consumer's queue was declared").isFalse();
			assertThat(rabbit.queueExists(service + "__quote")).as("an RPC queue was declared").isFalse();
		}
	}

	@Test
	void withoutAFileItSaysHowToCallIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> AsyncApiDocuments.main(new String[] { "x.App" }))
			.withMessageContaining("Usage: AsyncApiDocuments <application main class> <output file>");
	}

}

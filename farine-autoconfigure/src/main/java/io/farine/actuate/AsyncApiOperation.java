package io.farine.actuate;

import java.util.Map;

import io.farine.contract.AsyncApiDocuments;

import org.springframework.context.ApplicationContext;

/**
 * {@code GET /actuator/farine/asyncapi}: the AsyncAPI 3.0 document of the running application,
 * for {@link FarineEndpoint} to answer on that path. Made each time it is asked, from the
 * endpoints frozen at start-up and the current settings.
 */
final class AsyncApiOperation {

	private final ApplicationContext context;

	AsyncApiOperation(ApplicationContext context) {
		this.context = context;
	}

	/**
	 * The document.
	 * @return it, as maps and lists
	 */
	Map<String, Object> document() {
		return AsyncApiDocuments.document(this.context);
	}

}

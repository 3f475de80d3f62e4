package io.farine.autoconfigure;

import org.springframework.context.annotation.ImportSelector;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Imports configuration classes by name. Each capability creates its own runtime objects in a
 * package-private {@code @Configuration}, so that those objects can stay package-private too; a
 * class literal cannot name such a configuration from this package, its name can. A wrong name
 * fails the context's refresh, which every auto-configuration test does.
 */
abstract class ImportByName implements ImportSelector {

	private final String[] classNames;

	ImportByName(String... classNames) {
		this.classNames = classNames;
	}

	@Override
	public final String[] selectImports(AnnotationMetadata importingClassMetadata) {
		return this.classNames.clone();
	}

}

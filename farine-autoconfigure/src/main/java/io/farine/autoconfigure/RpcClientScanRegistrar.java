package io.farine.autoconfigure;

import java.util.List;
import java.util.function.Supplier;

import io.farine.rpc.RpcClient;
import io.farine.rpc.RpcClientFactory;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Registers a client bean for each {@code @RpcClient} interface in the application's packages
 * (those of its {@code @SpringBootApplication}), as Spring Data does for repositories. A bean the
 * application defines itself for the same interface wins.
 */
class RpcClientScanRegistrar
		implements ImportBeanDefinitionRegistrar, BeanFactoryAware, EnvironmentAware, ResourceLoaderAware {

	private BeanFactory beanFactory;

	private Environment environment;

	private ResourceLoader resourceLoader;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setResourceLoader(ResourceLoader resourceLoader) {
		this.resourceLoader = resourceLoader;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		if (!AutoConfigurationPackages.has(this.beanFactory)) {
			return;
		}
		List<String> packages = AutoConfigurationPackages.get(this.beanFactory);
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false,
				this.environment) {

			@Override
			protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
				return definition.getMetadata().isInterface() && definition.getMetadata().isIndependent();
			}

		};
		scanner.setResourceLoader(this.resourceLoader);
		scanner.addIncludeFilter(new AnnotationTypeFilter(RpcClient.class, true, false));
		for (String basePackage : packages) {
			for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
				String className = candidate.getBeanClassName();
				if (className == null || registry.containsBeanDefinition(className)) {
					continue;
				}
				Class<?> type = ClassUtils.resolveClassName(className, this.resourceLoader.getClassLoader());
				if (this.beanFactory instanceof ListableBeanFactory beans
						&& beans.getBeanNamesForType(type, true, false).length > 0) {
					continue;
				}
				registry.registerBeanDefinition(className, definition(type));
			}
		}
	}

	private <T> RootBeanDefinition definition(Class<T> type) {
		Supplier<T> client = () -> this.beanFactory.getBean(RpcClientFactory.class).client(type);
		return new RootBeanDefinition(type, client);
	}

}

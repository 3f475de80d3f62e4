package org.springframework.boot.loader.launch;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * Stands for Spring Boot's {@code LaunchedClassLoader} (spring-boot-loader is not on the test
 * class path): a class loader of that package exists only in an application launched from an
 * archive.
 */
public class TestLaunchedClassLoader extends URLClassLoader {

	public TestLaunchedClassLoader(ClassLoader parent) {
		super(new URL[0], parent);
	}

}

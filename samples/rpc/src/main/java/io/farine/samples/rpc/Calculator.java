package io.farine.samples.rpc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.farine.rpc.RpcArguments;
import io.farine.rpc.RpcMethod;

import org.springframework.context.annotation.Description;
import org.springframework.stereotype.Component;

/**
 * Service {@code calculator}, the Python original's example: each {@code @RpcMethod} is served
 * from queue {@code calculator__<method>}, so a Python farine client can call it too.
 */
@Component
public class Calculator {

	/** {@code calculator.add(a, b)}: one reply item. */
	@RpcMethod
	@Description("The sum of a and b, as one reply item.")
	public int add(int a, int b) {
		return a + b;
	}

	/** {@code calculator.echo(*args, **kwargs)}: whatever it was given, as {@code {"args", "kwargs"}}. */
	@RpcMethod
	@Description("Whatever it was given, as {\"args\": [...], \"kwargs\": {...}}: any arguments, by position or by name.")
	public Map<String, Object> echo(RpcArguments arguments) {
		Map<String, Object> echoed = new LinkedHashMap<>();
		echoed.put("args", arguments.args());
		echoed.put("kwargs", arguments.kwargs());
		return echoed;
	}

	/** {@code calculator.count(n)}: streams 0 to n-1, one reply item each, as they are produced. */
	@RpcMethod
	@Description("Streams 0 to n-1, one reply item each, as they are produced.")
	public Stream<Integer> count(int n) {
		return IntStream.range(0, n).boxed();
	}

	/** {@code calculator.boom()}: always fails; the caller gets the error. */
	@RpcMethod
	@Description("Always fails: the caller gets the error frame.")
	public void boom() {
		throw new IllegalStateException("boom");
	}

}

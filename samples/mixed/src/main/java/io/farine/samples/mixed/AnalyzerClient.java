package io.farine.samples.mixed;

import io.farine.rpc.RpcClient;

/** Calls service {@code analyzer}; farine implements it. */
@RpcClient("analyzer")
public interface AnalyzerClient {

	Analysis analyze(News news);

}

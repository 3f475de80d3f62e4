package io.farine.cluster;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.farine.config.FarineProperties;
import io.farine.service.JsonCodec;

/**
 * The codecs a service may name in {@code cluster_codec}: {@code json}, {@code raw} and the
 * application's {@link ClusterCodec} beans, resolved per service at first use; an unknown name
 * fails naming the ones there are.
 */
final class ClusterCodecs {

	private final Map<String, ClusterCodec> byName = new TreeMap<>();

	private final FarineProperties properties;

	/**
	 * Creates the codecs.
	 * @param properties each service's {@code cluster_codec}
	 * @param json the application's JSON codec
	 * @param application the application's own codecs
	 */
	ClusterCodecs(FarineProperties properties, JsonCodec json, List<ClusterCodec> application) {
		this.properties = properties;
		this.byName.put("json", ClusterCodec.json(json));
		this.byName.put("raw", ClusterCodec.raw());
		application.forEach((codec) -> this.byName.put(codec.name(), codec));
	}

	/**
	 * The codec of a service ({@code ""} for {@code [DEFAULT]}'s).
	 * @param service the service
	 * @return its codec
	 * @throws IllegalStateException if it names no known codec
	 */
	ClusterCodec of(String service) {
		String name = this.properties.service(service).clusterCodec();
		ClusterCodec codec = this.byName.get(name);
		if (codec == null) {
			throw new IllegalStateException("cluster_codec = " + name + " of service '" + service + "' names no codec; "
					+ "the codecs are " + this.byName.keySet() + " (a ClusterCodec bean adds its name())");
		}
		return codec;
	}

}

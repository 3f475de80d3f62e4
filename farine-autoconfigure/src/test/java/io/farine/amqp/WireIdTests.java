package io.farine.amqp;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Message ids are the inbox's de-duplication key and correlation ids route RPC replies: an id must
 * not tell what the next one will be. The attack here breaks ids drawn from
 * {@code ThreadLocalRandom}, whose output is an invertible mix of a seed that grows by a fixed
 * step (JDK 17: a constant plus twice the thread's id): one id gives the seed, and the seed every
 * later id of the thread.
 */
class WireIdTests {

	private static final long GAMMA = 0x9e3779b97f4a7c15L;

	private static final long M1 = 0xff51afd7ed558ccdL;

	private static final long M2 = 0xc4ceb9fe1a85ec53L;

	@Test
	void idsAreVersionFourUuidsInKombusForm() {
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < 10_000; i++) {
			String id = Wire.newId();
			assertThat(id).matches("[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}");
			ids.add(id);
		}
		assertThat(ids).hasSize(10_000);
	}

	@Test
	void oneIdDoesNotGiveAwayTheNextOne() {
		for (int attempt = 0; attempt < 20; attempt++) {
			String seen = Wire.newId();
			String next = Wire.newId();
			assertThat(predictNext(seen)).isNotEqualTo(next);
		}
	}

	/** The id that follows one drawn from {@code ThreadLocalRandom} on the same thread, or null. */
	private static String predictNext(String id) {
		long step = GAMMA + (Thread.currentThread().getId() << 1);
		long high = Long.parseUnsignedLong(id.substring(0, 16), 16);
		long low = Long.parseUnsignedLong(id.substring(16), 16);
		for (long nibble = 0; nibble < 16; nibble++) {
			long seed = unmix((high & ~0xF000L) | (nibble << 12));
			if ((mix(seed + step) & 0x3FFFFFFFFFFFFFFFL) == (low & 0x3FFFFFFFFFFFFFFFL)) {
				return hex((mix(seed + 2 * step) & ~0xF000L) | 0x4000L)
						+ hex((mix(seed + 3 * step) & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L);
			}
		}
		return null;
	}

	private static long mix(long z) {
		z = (z ^ (z >>> 33)) * M1;
		z = (z ^ (z >>> 33)) * M2;
		return z ^ (z >>> 33);
	}

	/** The inverse of {@link #mix}: each xor-shift by 33 undoes itself, each odd factor has an inverse. */
	private static long unmix(long z) {
		z = (z ^ (z >>> 33)) * inverse(M2);
		z = (z ^ (z >>> 33)) * inverse(M1);
		return z ^ (z >>> 33);
	}

	private static long inverse(long odd) {
		long x = odd;
		for (int i = 0; i < 6; i++) {
			x *= 2 - odd * x;
		}
		return x;
	}

	private static String hex(long value) {
		return String.format("%016x", value);
	}

}

package io.stipple.tensor.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * {@link SeedSequence} against numpy 1.24's {@code np.random.SeedSequence(...).generate_state(n)};
 * the expected words were printed by numpy for exactly these arguments.
 */
class SeedSequenceTest {
    @Test
    void entropyOnly() {
        // SeedSequence(entropy=42, pool_size=24).generate_state(3): torchsde's root seeds for seed 42
        assertUnsigned(new long[] {387750627L, 2536650517L, 4078839648L},
                new SeedSequence(42, new long[0], 24).generateState(3));
    }

    @Test
    void spawnKeyPadsTheEntropyToThePoolSize() {
        // SeedSequence(entropy=42, spawn_key=(0, 0), pool_size=24).generate_state(4)
        assertUnsigned(new long[] {2102017995L, 2891809698L, 2144110403L, 379559146L},
                new SeedSequence(42, new long[] {0, 0}, 24).generateState(4));
    }

    @Test
    void sixtyFourBitEntropy() {
        // SeedSequence(entropy=2**64-1, spawn_key=(5, 3), pool_size=24).generate_state(4)
        assertUnsigned(new long[] {206752380L, 1890374860L, 654320852L, 1710134239L},
                new SeedSequence(-1L, new long[] {5, 3}, 24).generateState(4));
    }

    @Test
    void entropyLongerThanThePool() {
        // SeedSequence(entropy=2**64-3, spawn_key=(2**33+1, 40, 7), pool_size=4).generate_state(6)
        assertUnsigned(new long[] {542450776L, 1378535412L, 4021109093L, 1506321721L, 1378098057L, 795359814L},
                new SeedSequence(-3L, new long[] {(1L << 33) + 1, 40, 7}, 4).generateState(6));
    }

    @Test
    void poolSmallerThanFourIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new SeedSequence(1, new long[0], 3));
        assertEquals("pool size 3 (expected: >= 4)", e.getMessage());
    }

    private static void assertUnsigned(long[] expected, int[] actual) {
        long[] got = new long[actual.length];
        for (int i = 0; i < actual.length; i++) {
            got[i] = Integer.toUnsignedLong(actual[i]);
        }
        assertArrayEquals(expected, got);
    }
}

package io.stipple.tensor.random;

import java.util.Arrays;

/**
 * numpy's {@code np.random.SeedSequence(entropy, spawn_key=..., pool_size=...)} and its
 * {@code generate_state(n)} (numpy 1.19 and later), the hashing torchsde uses to give every node of
 * its Brownian tree its own seeds. Integers enter as little-endian 32-bit words, as numpy's
 * {@code _coerce_to_uint32_array} makes them; all arithmetic is unsigned 32-bit, which Java's
 * wrapping int multiplication and logical shifts give exactly.
 */
final class SeedSequence {
    private static final int DEFAULT_POOL_SIZE = 4;
    private static final int INIT_A = 0x43b0d7e5;
    private static final int MULT_A = 0x931e8875;
    private static final int INIT_B = 0x8b51f9dd;
    private static final int MULT_B = 0x58f38ded;
    private static final int MIX_MULT_L = 0xca01f9dd;
    private static final int MIX_MULT_R = 0x4973f715;
    private static final int XSHIFT = 16;

    private final int[] pool;
    private int hashConst;

    /**
     * @param entropy  the entropy as an unsigned 64-bit integer
     * @param spawnKey the spawn key, each element an unsigned 64-bit integer (empty for none)
     */
    SeedSequence(long entropy, long[] spawnKey, int poolSize) {
        if (poolSize < DEFAULT_POOL_SIZE) {
            throw new IllegalArgumentException("pool size " + poolSize + " (expected: >= " + DEFAULT_POOL_SIZE + ")");
        }
        int[] runEntropy = words(entropy);
        int[] spawnEntropy = new int[0];
        for (long key : spawnKey) {
            spawnEntropy = concat(spawnEntropy, words(key));
        }
        if (spawnEntropy.length > 0 && runEntropy.length < poolSize) {
            // numpy >= 1.19 pads the run entropy with zeros to the pool size when there is a spawn key
            runEntropy = Arrays.copyOf(runEntropy, poolSize);
        }
        this.pool = new int[poolSize];
        mixEntropy(concat(runEntropy, spawnEntropy));
    }

    /** {@code generate_state(n)} with dtype uint32: n words (unsigned values held in ints). */
    int[] generateState(int n) {
        int[] state = new int[n];
        int hash = INIT_B;
        for (int i = 0; i < n; i++) {
            int value = pool[i % pool.length];
            value ^= hash;
            hash *= MULT_B;
            value *= hash;
            value ^= value >>> XSHIFT;
            state[i] = value;
        }
        return state;
    }

    private void mixEntropy(int[] entropy) {
        hashConst = INIT_A;
        for (int i = 0; i < pool.length; i++) {
            pool[i] = hashmix(i < entropy.length ? entropy[i] : 0);
        }
        // mix all bits together so late bits can affect earlier bits
        for (int src = 0; src < pool.length; src++) {
            for (int dst = 0; dst < pool.length; dst++) {
                if (src != dst) {
                    pool[dst] = mix(pool[dst], hashmix(pool[src]));
                }
            }
        }
        // entropy beyond the pool size is mixed into every pool word
        for (int src = pool.length; src < entropy.length; src++) {
            for (int dst = 0; dst < pool.length; dst++) {
                pool[dst] = mix(pool[dst], hashmix(entropy[src]));
            }
        }
    }

    private int hashmix(int value) {
        value ^= hashConst;
        hashConst *= MULT_A;
        value *= hashConst;
        value ^= value >>> XSHIFT;
        return value;
    }

    private static int mix(int x, int y) {
        int result = MIX_MULT_L * x - MIX_MULT_R * y;
        result ^= result >>> XSHIFT;
        return result;
    }

    /** An unsigned integer as numpy's little-endian uint32 words; zero is one word. */
    private static int[] words(long unsigned) {
        if (unsigned == 0) {
            return new int[] {0};
        }
        return (unsigned >>> 32) == 0 ? new int[] {(int) unsigned} : new int[] {(int) unsigned, (int) (unsigned >>> 32)};
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

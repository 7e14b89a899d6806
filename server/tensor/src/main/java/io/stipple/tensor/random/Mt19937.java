package io.stipple.tensor.random;

/**
 * The 32-bit Mersenne Twister as torch's CPU generator runs it ({@code at::mt19937}): the standard
 * MT19937 (Matsumoto and Nishimura), seeded with the standard {@code init_genrand} recurrence from the
 * low 32 bits of the seed. The state is regenerated lazily when the first word is needed, as torch does.
 */
final class Mt19937 {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final int[] state = new int[N];
    private int next;

    Mt19937(long seed) {
        state[0] = (int) seed; // torch: seed & 0xffffffff
        for (int i = 1; i < N; i++) {
            int prev = state[i - 1];
            state[i] = 1812433253 * (prev ^ (prev >>> 30)) + i;
        }
        next = N;
    }

    /** The next 32 random bits (an unsigned value held in an int). */
    int nextInt() {
        if (next == N) {
            regenerate();
        }
        int y = state[next++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    private void regenerate() {
        int[] mt = state;
        int k = 0;
        for (; k < N - M; k++) {
            mt[k] = mt[k + M] ^ twist(mt[k], mt[k + 1]);
        }
        for (; k < N - 1; k++) {
            mt[k] = mt[k + M - N] ^ twist(mt[k], mt[k + 1]);
        }
        mt[N - 1] = mt[M - 1] ^ twist(mt[N - 1], mt[0]);
        next = 0;
    }

    private static int twist(int u, int v) {
        int mixed = (u & UPPER_MASK) | (v & LOWER_MASK);
        return (mixed >>> 1) ^ ((v & 1) != 0 ? MATRIX_A : 0);
    }
}

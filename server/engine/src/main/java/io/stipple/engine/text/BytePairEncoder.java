package io.stipple.engine.text;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * CLIP's byte-level BPE on one pre-token: the UTF-8 bytes become one-byte symbols (the last one
 * marked {@code </w>}), then the lowest-ranked adjacent pair is merged everywhere, left to right,
 * until no adjacent pair has a rank. Symbols are vocabulary ids throughout, which is equivalent to
 * transformers' string version because every symbol it can produce is a vocabulary entry.
 */
final class BytePairEncoder {
    private final ClipVocabulary vocab;

    BytePairEncoder(ClipVocabulary vocab) {
        this.vocab = vocab;
    }

    /** The token ids of one non-empty pre-token. */
    int[] encode(String preToken) {
        byte[] bytes = preToken.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
            throw new IllegalArgumentException("BPE of an empty pre-token (expected: at least one character)");
        }
        int n = bytes.length;
        int[] symbols = new int[n];
        for (int i = 0; i < n; i++) {
            symbols[i] = vocab.byteId(bytes[i] & 0xff, i == n - 1);
        }
        while (n > 1) {
            int bestRank = Integer.MAX_VALUE;
            int bestAt = -1;
            for (int i = 0; i + 1 < n; i++) {
                int rank = vocab.mergeRank(symbols[i], symbols[i + 1]);
                if (rank >= 0 && rank < bestRank) {
                    bestRank = rank;
                    bestAt = i;
                }
            }
            if (bestAt < 0) {
                break;
            }
            n = mergeAll(symbols, n, symbols[bestAt], symbols[bestAt + 1], vocab.mergeResult(bestRank));
        }
        return Arrays.copyOf(symbols, n);
    }

    /** Replaces every non-overlapping (first, second), scanning left to right, in place; returns the new length. */
    private static int mergeAll(int[] symbols, int n, int first, int second, int merged) {
        int out = 0;
        int i = 0;
        while (i < n) {
            if (i + 1 < n && symbols[i] == first && symbols[i + 1] == second) {
                symbols[out++] = merged;
                i += 2;
            } else {
                symbols[out++] = symbols[i++];
            }
        }
        return out;
    }
}

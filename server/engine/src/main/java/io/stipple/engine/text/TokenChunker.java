package io.stipple.engine.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Packs token groups into fixed-length chunks the way ComfyUI's
 * {@code SDTokenizer.tokenize_with_weights} does. Each chunk is the start token, content, the end
 * token and padding. A group is the tokens of one weighted stretch of the prompt (ComfyUI does not
 * split stretches at spaces). A group that does not fit in what is left of a chunk moves whole
 * to the next chunk when it is shorter than 8 tokens; a longer one fills the chunk and continues
 * in the next, so long unweighted prompts are cut exactly after 75 content tokens, even mid-word.
 */
final class TokenChunker {
    /** ComfyUI's {@code max_word_length}: groups at least this long are split across chunks. */
    static final int MAX_WORD_LENGTH = 8;

    private final int maxLength;
    private final int startToken;
    private final int endToken;
    private final int padToken;

    TokenChunker(int maxLength, int startToken, int endToken, int padToken) {
        if (maxLength < MAX_WORD_LENGTH + 2) {
            // Below this a short group can never fit and ComfyUI's loop would not end.
            throw new IllegalArgumentException("max length: " + maxLength + " (expected: at least " + (MAX_WORD_LENGTH + 2) + ")");
        }
        this.maxLength = maxLength;
        this.startToken = startToken;
        this.endToken = endToken;
        this.padToken = padToken;
    }

    /** A group of tokens that share a weight; {@code vectors} non-null for an embedding's group (its ids are then 0s). */
    record Group(int[] ids, float[][] vectors, double weight) {
        Group(int[] ids, double weight) {
            this(ids, null, weight);
        }

        static Group ofVectors(float[][] vectors, double weight) {
            return new Group(new int[vectors.length], vectors, weight);
        }
    }

    List<TokenChunk> chunk(List<Group> groups) {
        List<TokenChunk> chunks = new ArrayList<>();
        Builder batch = new Builder();
        for (Group group : groups) {
            int[] ids = group.ids();
            boolean large = ids.length >= MAX_WORD_LENGTH;
            int from = 0;
            while (from < ids.length) {
                int left = ids.length - from;
                if (left + batch.size > maxLength - 1) {
                    int room = maxLength - batch.size - 1;
                    if (large) {
                        batch.add(group, from, room);
                        from += room;
                    }
                    chunks.add(batch.finish());
                    batch = new Builder();
                } else {
                    batch.add(group, from, left);
                    from = ids.length;
                }
            }
        }
        chunks.add(batch.finish());
        return chunks;
    }

    /** One chunk being filled; starts with the start token. */
    private final class Builder {
        private final int[] ids = new int[maxLength];
        private final double[] weights = new double[maxLength];
        private final float[][] vectors = new float[maxLength][];
        private int size;

        Builder() {
            put(startToken, 1.0);
        }

        void add(Group group, int from, int count) {
            for (int i = 0; i < count; i++) {
                if (group.vectors() != null) {
                    vectors[size] = group.vectors()[from + i];
                }
                put(group.ids()[from + i], group.weight());
            }
        }

        private void put(int id, double weight) {
            ids[size] = id;
            weights[size] = weight;
            size++;
        }

        TokenChunk finish() {
            put(endToken, 1.0);
            while (size < maxLength) {
                put(padToken, 1.0);
            }
            float[] w = new float[maxLength];
            for (int i = 0; i < maxLength; i++) {
                w[i] = (float) weights[i];
            }
            return new TokenChunk(Arrays.copyOf(ids, maxLength), w, vectors);
        }
    }
}

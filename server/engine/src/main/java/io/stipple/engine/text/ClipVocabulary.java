package io.stipple.engine.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * CLIP's BPE data: token strings with their ids and the ranked merge list, held as ids so that BPE
 * runs on int arrays. Immutable once built, so one instance serves every thread.
 */
final class ClipVocabulary {
    static final String START_TOKEN = "<|startoftext|>";
    static final String END_TOKEN = "<|endoftext|>";
    static final String END_OF_WORD = "</w>";
    /** transformers' CLIPTokenizer keeps merges lines 1..49152-256-2 (the byte alphabet and the two specials make up the rest of the 49152). */
    static final int MERGE_COUNT = 49152 - 256 - 2;

    private final Map<String, Integer> ids;
    private final String[] tokens;
    private final int[] byteIds = new int[256];
    private final int[] byteEndIds = new int[256];
    private final PairRanks ranks;
    private final int[] mergeResult;
    private final int startId;
    private final int endId;

    private ClipVocabulary(Map<String, Integer> ids, String merges) {
        this.ids = Map.copyOf(ids);
        int maxId = ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
        tokens = new String[maxId + 1];
        ids.forEach((token, id) -> tokens[id] = token);
        for (int b = 0; b < 256; b++) {
            String c = String.valueOf(ByteLevelAlphabet.charOf(b));
            byteIds[b] = require(c, "byte " + b);
            byteEndIds[b] = require(c + END_OF_WORD, "byte " + b + " at a word end");
        }
        startId = require(START_TOKEN, "the start token");
        endId = require(END_TOKEN, "the end token");
        String[] lines = merges.strip().split("\n", -1);
        if (lines.length - 1 < MERGE_COUNT) {
            throw new IllegalStateException("merges.txt: " + (lines.length - 1) + " merges (expected: at least " + MERGE_COUNT + ")");
        }
        ranks = new PairRanks(MERGE_COUNT);
        mergeResult = new int[MERGE_COUNT];
        for (int rank = 0; rank < MERGE_COUNT; rank++) {
            String[] pair = lines[rank + 1].strip().split("\\s+");
            if (pair.length != 2) {
                throw new IllegalStateException("merges.txt line " + (rank + 2) + ": '" + lines[rank + 1] + "' (expected: two symbols)");
            }
            String where = "merges.txt line " + (rank + 2);
            int a = require(pair[0], where);
            int b = require(pair[1], where);
            mergeResult[rank] = require(pair[0] + pair[1], where);
            // A repeated pair keeps its last rank, as building a Python dict from the list does.
            ranks.put(a, b, rank);
        }
    }

    /** The vocabulary shipped in this package's resources (vocab.json.gz, merges.txt.gz). */
    static ClipVocabulary fromResources() {
        return parse(readGzipResource("vocab.json.gz"), readGzipResource("merges.txt.gz"));
    }

    static ClipVocabulary parse(String vocabJson, String merges) {
        return new ClipVocabulary(VocabJsonReader.read(vocabJson), merges);
    }

    static String readGzipResource(String name) {
        try (InputStream raw = ClipVocabulary.class.getResourceAsStream(name)) {
            if (raw == null) {
                throw new IllegalStateException("resource " + name + " missing next to " + ClipVocabulary.class.getName());
            }
            try (InputStream in = new GZIPInputStream(raw)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading resource " + name, e);
        }
    }

    private int require(String token, String where) {
        Integer id = ids.get(token);
        if (id == null) {
            throw new IllegalStateException(where + ": token '" + token + "' is not in vocab.json");
        }
        return id;
    }

    /** The id of a token string, or -1. */
    int id(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    /** The token string of an id, or null when no token has it. */
    String token(int id) {
        return id >= 0 && id < tokens.length ? tokens[id] : null;
    }

    int size() {
        return ids.size();
    }

    int startId() {
        return startId;
    }

    int endId() {
        return endId;
    }

    /** The id of the one-byte symbol for {@code b}; {@code wordEnd} selects its {@code </w>} form. */
    int byteId(int b, boolean wordEnd) {
        return wordEnd ? byteEndIds[b] : byteIds[b];
    }

    /** The rank of merging symbols {@code a} then {@code b}, or -1 when that pair never merges. */
    int mergeRank(int a, int b) {
        return ranks.get(a, b);
    }

    /** The id of the symbol made by the merge of rank {@code rank}. */
    int mergeResult(int rank) {
        return mergeResult[rank];
    }

    /** Open-addressing map from an id pair to its merge rank: BPE looks pairs up in its inner loop. */
    private static final class PairRanks {
        private final long[] keys;
        private final int[] values;
        private final int mask;

        PairRanks(int expected) {
            int capacity = Integer.highestOneBit(expected * 3) << 1;
            keys = new long[capacity];
            values = new int[capacity];
            Arrays.fill(keys, -1L);
            mask = capacity - 1;
        }

        private static long key(int a, int b) {
            return ((long) a << 32) | (b & 0xffffffffL);
        }

        private int slot(long key) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h >>> 32) & mask;
        }

        void put(int a, int b, int rank) {
            long k = key(a, b);
            int i = slot(k);
            while (keys[i] != -1L && keys[i] != k) {
                i = (i + 1) & mask;
            }
            keys[i] = k;
            values[i] = rank;
        }

        int get(int a, int b) {
            long k = key(a, b);
            int i = slot(k);
            while (keys[i] != -1L) {
                if (keys[i] == k) {
                    return values[i];
                }
                i = (i + 1) & mask;
            }
            return -1;
        }
    }
}

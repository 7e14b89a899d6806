package io.stipple.engine.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CLIP's byte-level BPE tokenizer, behaving as transformers' slow {@code CLIPTokenizer} without
 * ftfy (see {@link ClipTextNormalizer}): exact occurrences of {@code <|startoftext|>} and
 * {@code <|endoftext|>} are split out first (they are added tokens there), the rest is cleaned,
 * lower-cased, pre-tokenized ({@link ClipPreTokenizer}) and byte-pair encoded
 * ({@link BytePairEncoder}). The same vocabulary serves CLIP-L and OpenCLIP bigG.
 *
 * <p>{@link #shared()} loads the vocabulary from this package's resources on first use, once per
 * JVM; instances are thread-safe and cache the ids of pre-tokens they have seen.
 */
public final class ClipBpeTokenizer {
    /** A bound on the pre-token cache so that a long-running server cannot grow it without limit. */
    private static final int CACHE_LIMIT = 100_000;

    private final ClipVocabulary vocab;
    private final BytePairEncoder bpe;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    ClipBpeTokenizer(ClipVocabulary vocab) {
        this.vocab = vocab;
        this.bpe = new BytePairEncoder(vocab);
    }

    /** The tokenizer over the bundled CLIP vocabulary, loaded on first call. */
    public static ClipBpeTokenizer shared() {
        return Holder.INSTANCE;
    }

    private static final class Holder {
        static final ClipBpeTokenizer INSTANCE = new ClipBpeTokenizer(ClipVocabulary.fromResources());
    }

    /** {@code <|startoftext|>}: 49406. */
    public int startToken() {
        return vocab.startId();
    }

    /** {@code <|endoftext|>}: 49407 (also the unknown and, for CLIP-L, the padding token). */
    public int endToken() {
        return vocab.endId();
    }

    /** 49408. */
    public int vocabularySize() {
        return vocab.size();
    }

    /** The vocabulary string of a token id ({@code "cat</w>"}); throws for an id outside the vocabulary. */
    public String tokenString(int id) {
        String s = vocab.token(id);
        if (s == null) {
            throw new IllegalArgumentException("token id: " + id + " (expected: 0.." + (vocab.size() - 1) + ")");
        }
        return s;
    }

    /** The token ids of {@code text}, without start and end tokens ({@code tokenizer(text)["input_ids"][1:-1]}). */
    public int[] encode(String text) {
        IntList out = new IntList();
        int i = 0;
        int pieceStart = 0;
        while (i < text.length()) {
            int special = specialAt(text, i);
            if (special < 0) {
                i++;
                continue;
            }
            encodePlain(text.substring(pieceStart, i), out);
            out.add(special);
            i += (special == vocab.startId() ? ClipVocabulary.START_TOKEN : ClipVocabulary.END_TOKEN).length();
            pieceStart = i;
        }
        encodePlain(text.substring(pieceStart), out);
        return out.toArray();
    }

    /** The vocabulary strings of {@link #encode}'s ids, for inspection. */
    public List<String> tokenStrings(String text) {
        List<String> out = new ArrayList<>();
        for (int id : encode(text)) {
            out.add(vocab.token(id));
        }
        return out;
    }

    /** The id of the special token spelled exactly (case-sensitive, like transformers' added-token split) at {@code at}, or -1. */
    private int specialAt(String text, int at) {
        if (text.charAt(at) != '<') {
            return -1;
        }
        if (text.startsWith(ClipVocabulary.START_TOKEN, at)) {
            return vocab.startId();
        }
        if (text.startsWith(ClipVocabulary.END_TOKEN, at)) {
            return vocab.endId();
        }
        return -1;
    }

    private void encodePlain(String text, IntList out) {
        if (text.isEmpty()) {
            return;
        }
        for (String word : ClipTextNormalizer.words(text)) {
            for (String preToken : ClipPreTokenizer.split(word)) {
                out.addAll(idsOf(preToken));
            }
        }
    }

    private int[] idsOf(String preToken) {
        int[] ids = cache.get(preToken);
        if (ids != null) {
            return ids;
        }
        // A pre-token that spells a special token (any case, it was lower-cased) is that token, not BPE.
        if (preToken.equals(ClipVocabulary.START_TOKEN)) {
            ids = new int[] {vocab.startId()};
        } else if (preToken.equals(ClipVocabulary.END_TOKEN)) {
            ids = new int[] {vocab.endId()};
        } else {
            ids = bpe.encode(preToken);
        }
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(preToken, ids);
        return ids;
    }

    /** A growable int array. */
    private static final class IntList {
        private int[] data = new int[32];
        private int size;

        void add(int v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2);
            }
            data[size++] = v;
        }

        void addAll(int[] vs) {
            for (int v : vs) {
                add(v);
            }
        }

        int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}

package io.stipple.format.safetensors;

import io.stipple.format.safetensors.JsonReader.Token;
import io.stipple.plugin.api.CheckpointFormatException;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.DType;
import io.stipple.tensor.Shape;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a safetensors header: UTF-8 JSON, an object of tensor entries
 * {@code {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}} plus an optional
 * {@code "__metadata__"} object of strings. It checks each entry on its own (types, dtype, shape,
 * that the offsets span exactly dtype × shape bytes); where the entries lie relative to each other
 * and to the file is {@link DataLayout}'s job.
 *
 * <p>It walks the JSON with a {@link JsonReader} and keeps only what a valid header yields, so a
 * hostile header costs no more memory than a valid one of its size. Like the reference
 * implementation it ignores unknown fields in a tensor entry and takes a null {@code __metadata__}
 * as none; unlike it, it refuses duplicate keys, which JSON leaves undefined.
 */
final class HeaderParser {
    /** Deeper than any header needs (3); only unknown fields, which are skipped, can go deeper. */
    static final int MAX_DEPTH = 64;
    /** numpy's limit on dimensions; real checkpoints stay under 8. */
    static final int MAX_RANK = 64;

    private static final String EXPECTED_ENTRY = "an object with dtype, shape and data_offsets";

    private final Path file;
    private final JsonReader json;

    private HeaderParser(Path file, byte[] header) {
        this.file = file;
        this.json = new JsonReader(header, MAX_DEPTH);
    }

    /** Parses {@code header} (the bytes after the length prefix) of {@code file}. */
    static Header parse(Path file, byte[] header) {
        checkUtf8(file, header);
        if (header.length == 0 || header[0] != '{') {
            String found = header.length == 0 ? "an empty header" : String.format("byte 0x%02x", header[0] & 0xff);
            throw new CheckpointFormatException(file, "header does not start with '{' (found " + found
                    + "; expected: a JSON object)");
        }
        HeaderParser parser = new HeaderParser(file, header);
        try {
            return parser.header();
        } catch (JsonSyntaxException e) {
            throw new CheckpointFormatException(file, "header is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static void checkUtf8(Path file, byte[] header) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(header);
        CharBuffer out = CharBuffer.allocate(8192); // decoded and dropped: only validity matters here
        while (true) {
            CoderResult r = decoder.decode(in, out, true);
            if (r.isError()) {
                throw new CheckpointFormatException(file, "header is not valid UTF-8 (at byte " + in.position() + ")");
            }
            if (r.isUnderflow()) {
                return;
            }
            out.clear();
        }
    }

    private Header header() {
        json.beginObject();
        Map<String, HeaderEntry> entries = new LinkedHashMap<>();
        Map<String, String> metadata = Map.of();
        boolean sawMetadata = false;
        while (json.hasNext()) {
            String key = json.nextName();
            if (entries.containsKey(key) || (sawMetadata && key.equals(Header.METADATA_KEY))) {
                throw fail("duplicate key " + Names.quote(key) + " in the header");
            }
            if (key.equals(Header.METADATA_KEY)) {
                sawMetadata = true;
                metadata = metadata();
            } else {
                entries.put(key, entry(key));
            }
        }
        json.endObject();
        json.endDocument();
        return new Header(List.copyOf(entries.values()), metadata);
    }

    private Map<String, String> metadata() {
        if (json.peek() == Token.LITERAL && json.describeNext().equals("null")) {
            json.nextLiteral();
            return Map.of();
        }
        if (json.peek() != Token.BEGIN_OBJECT) {
            throw fail(Header.METADATA_KEY + " is " + json.describeNext() + " (expected: an object of strings)");
        }
        json.beginObject();
        Map<String, String> metadata = new LinkedHashMap<>();
        while (json.hasNext()) {
            String key = json.nextName();
            if (metadata.containsKey(key)) {
                throw fail(Header.METADATA_KEY + " has a duplicate key " + Names.quote(key));
            }
            if (json.peek() != Token.STRING) {
                throw fail(Header.METADATA_KEY + " value for " + Names.quote(key) + " is " + json.describeNext()
                        + " (expected: a string)");
            }
            metadata.put(key, json.nextString());
        }
        json.endObject();
        return Collections.unmodifiableMap(metadata);
    }

    private HeaderEntry entry(String name) {
        if (json.peek() != Token.BEGIN_OBJECT) {
            throw fail("tensor " + Names.quote(name) + " is " + json.describeNext() + " (expected: " + EXPECTED_ENTRY + ")");
        }
        json.beginObject();
        String dtypeName = null;
        long[] shape = null;
        long[] offsets = null;
        Set<String> seen = new HashSet<>(4);
        while (json.hasNext()) {
            String field = json.nextName();
            boolean known = field.equals("dtype") || field.equals("shape") || field.equals("data_offsets");
            if (known && !seen.add(field)) {
                throw fail(tensor(name) + "duplicate field " + Names.quote(field));
            }
            switch (field) {
                case "dtype" -> dtypeName = string(name, field);
                case "shape" -> shape = integers(name, field, MAX_RANK);
                case "data_offsets" -> offsets = integers(name, field, 2);
                default -> json.skipValue(); // the reference ignores unknown fields too
            }
        }
        json.endObject();
        for (String field : List.of("dtype", "shape", "data_offsets")) {
            if (!seen.contains(field)) {
                throw fail(tensor(name) + "missing field '" + field + "' (expected: " + EXPECTED_ENTRY + ")");
            }
        }
        DType dtype = dtype(name, dtypeName);
        if (offsets.length != 2) {
            throw fail(tensor(name) + "data_offsets has " + offsets.length + " entries (expected: 2, [begin, end])");
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw fail(tensor(name) + "data_offsets [" + begin + ", " + end + "] end before they begin");
        }
        long byteSize = byteSize(name, dtype, shape);
        if (end - begin != byteSize) {
            throw fail(tensor(name) + "data_offsets [" + begin + ", " + end + "] span " + (end - begin)
                    + " bytes (expected: " + byteSize + " for " + dtype + " " + Arrays.toString(shape) + ")");
        }
        return new HeaderEntry(new TensorInfo(name, dtype, Shape.ofLongs(shape)), begin, end);
    }

    private String string(String name, String field) {
        if (json.peek() != Token.STRING) {
            throw fail(tensor(name) + field + " is " + json.describeNext() + " (expected: a string)");
        }
        return json.nextString();
    }

    /** A JSON array of at most {@code max} non-negative integers. */
    private long[] integers(String name, String field, int max) {
        String expected = "an array of non-negative integers";
        if (json.peek() != Token.BEGIN_ARRAY) {
            throw fail(tensor(name) + field + " is " + json.describeNext() + " (expected: " + expected + ")");
        }
        json.beginArray();
        List<Long> values = new ArrayList<>();
        while (json.hasNext()) {
            if (values.size() == max) {
                throw fail(tensor(name) + field + " has more than " + max + " entries");
            }
            String where = field + "[" + values.size() + "]";
            if (json.peek() != Token.NUMBER) {
                throw fail(tensor(name) + where + " is " + json.describeNext() + " (expected: a non-negative integer)");
            }
            values.add(nonNegative(name, where, json.nextNumber()));
        }
        json.endArray();
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    private long nonNegative(String name, String where, String number) {
        for (int i = 0; i < number.length(); i++) {
            if (number.charAt(i) < '0' || number.charAt(i) > '9') {
                throw fail(tensor(name) + where + " is " + Names.quote(number) + " (expected: a non-negative integer)");
            }
        }
        try {
            return Long.parseLong(number);
        } catch (NumberFormatException e) {
            throw fail(tensor(name) + where + " is " + Names.quote(number) + " (expected: at most " + Long.MAX_VALUE + ")");
        }
    }

    private DType dtype(String name, String dtypeName) {
        for (DType t : DType.values()) {
            if (t.safetensorsName().equals(dtypeName)) {
                return t;
            }
        }
        throw fail(tensor(name) + "unsupported dtype " + Names.quote(dtypeName) + " (expected: one of "
                + Arrays.stream(DType.values()).map(DType::safetensorsName).toList() + ")");
    }

    private long byteSize(String name, DType dtype, long[] shape) {
        long numel = 1;
        for (long d : shape) {
            if (d > Integer.MAX_VALUE) {
                throw fail(tensor(name) + "shape " + Arrays.toString(shape) + " has a dimension over "
                        + Integer.MAX_VALUE);
            }
            try {
                numel = Math.multiplyExact(numel, d);
            } catch (ArithmeticException e) {
                throw fail(tensor(name) + "shape " + Arrays.toString(shape) + " overflows 64-bit element count");
            }
        }
        try {
            return Math.multiplyExact(numel, dtype.byteSize());
        } catch (ArithmeticException e) {
            throw fail(tensor(name) + "shape " + Arrays.toString(shape) + " of " + dtype + " overflows 64-bit byte size");
        }
    }

    private static String tensor(String name) {
        return "tensor " + Names.quote(name) + ": ";
    }

    private CheckpointFormatException fail(String reason) {
        return new CheckpointFormatException(file, reason);
    }
}

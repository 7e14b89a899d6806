package io.stipple.format.safetensors;

import io.stipple.plugin.api.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes a safetensors header as the reference implementation does: compact JSON,
 * {@code __metadata__} first, then the tensors with contiguous offsets in the order given, padded
 * with spaces to a multiple of 8 bytes so that the data buffer starts 8-aligned.
 */
final class HeaderWriter {
    private HeaderWriter() {}

    /** The header bytes (without the length prefix), padded. Offsets start at 0 in {@code tensors}' order. */
    static byte[] write(List<TensorInfo> tensors, Map<String, String> metadata) {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            string(json, Header.METADATA_KEY).append(":{");
            boolean first = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (!first) {
                    json.append(',');
                }
                first = false;
                string(json, e.getKey()).append(':');
                string(json, e.getValue());
            }
            json.append('}');
        }
        long offset = 0;
        for (TensorInfo t : tensors) {
            if (json.length() > 1) {
                json.append(',');
            }
            long end = Math.addExact(offset, byteSize(t));
            string(json, t.name()).append(":{\"dtype\":");
            string(json, t.dtype().safetensorsName()).append(",\"shape\":");
            json.append(Arrays.toString(t.shape().dims()).replace(" ", ""));
            json.append(",\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        json.append('}');
        byte[] unpadded = encode(json);
        byte[] padded = Arrays.copyOf(unpadded, (unpadded.length + 7) / 8 * 8);
        Arrays.fill(padded, unpadded.length, padded.length, (byte) ' ');
        return padded;
    }

    /** The tensor's size in bytes, refusing one that overflows (TensorInfo's own product does not check). */
    static long byteSize(TensorInfo t) {
        try {
            return Math.multiplyExact(t.shape().numel(), (long) t.dtype().byteSize());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("tensor " + Names.quote(t.name()) + ": shape " + t.shape()
                    + " of " + t.dtype() + " overflows 64-bit byte size");
        }
    }

    /** Appends {@code s} as a JSON string, escaping what JSON requires and nothing else. */
    private static StringBuilder string(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }

    private static byte[] encode(CharSequence json) {
        try {
            ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(json));
            byte[] out = new byte[bytes.remaining()];
            bytes.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("a tensor name or metadata entry is not valid Unicode (a lone surrogate)", e);
        }
    }
}

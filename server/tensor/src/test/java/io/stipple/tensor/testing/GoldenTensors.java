package io.stipple.tensor.testing;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A small, trusting safetensors reader for golden files in tests (float32, int64, uint8 only).
 * Production code reads checkpoints through the format plugins, which check every byte.
 */
public final class GoldenTensors {
    /** One tensor as float values (int64 and uint8 converted) with its shape. */
    public record Entry(String dtype, int[] shape, float[] values, long[] longs) {}

    private final Map<String, Entry> entries;

    private GoldenTensors(Map<String, Entry> entries) {
        this.entries = entries;
    }

    public static GoldenTensors read(Path file) {
        try {
            byte[] all = Files.readAllBytes(file);
            ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
            int headerLen = (int) buf.getLong(0);
            JsonObject header = JsonParser.parseString(new String(all, 8, headerLen, StandardCharsets.UTF_8)).getAsJsonObject();
            Map<String, Entry> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : header.entrySet()) {
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                JsonObject t = e.getValue().getAsJsonObject();
                String dtype = t.get("dtype").getAsString();
                var shapeArr = t.getAsJsonArray("shape");
                int[] shape = new int[shapeArr.size()];
                long numel = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shapeArr.get(i).getAsInt();
                    numel *= shape[i];
                }
                long start = 8 + headerLen + t.getAsJsonArray("data_offsets").get(0).getAsLong();
                float[] values = new float[(int) numel];
                long[] longs = null;
                for (int i = 0; i < numel; i++) {
                    switch (dtype) {
                        case "F32" -> values[i] = buf.getFloat((int) (start + 4L * i));
                        case "I64" -> {
                            if (longs == null) {
                                longs = new long[(int) numel];
                            }
                            longs[i] = buf.getLong((int) (start + 8L * i));
                            values[i] = longs[i];
                        }
                        case "U8" -> values[i] = all[(int) (start + i)] & 0xff;
                        default -> throw new IllegalArgumentException(file + ": golden dtype " + dtype + " not handled");
                    }
                }
                map.put(e.getKey(), new Entry(dtype, shape, values, longs));
            }
            return new GoldenTensors(map);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Set<String> names() {
        return entries.keySet();
    }

    public boolean has(String name) {
        return entries.containsKey(name);
    }

    public Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no tensor " + name + " (have " + entries.keySet() + ")");
        }
        return e;
    }

    public float[] floats(String name) {
        return entry(name).values();
    }

    public int[] shape(String name) {
        return entry(name).shape();
    }

    public long[] longs(String name) {
        return entry(name).longs();
    }
}

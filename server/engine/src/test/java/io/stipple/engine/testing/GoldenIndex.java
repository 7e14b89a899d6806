package io.stipple.engine.testing;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.DType;
import io.stipple.tensor.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A trusting safetensors TensorIndex over golden files, for engine tests. */
public final class GoldenIndex implements TensorIndex {
    private final Path file;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment data;
    private final Map<String, TensorInfo> infos = new LinkedHashMap<>();
    private final Map<String, long[]> offsets = new LinkedHashMap<>();

    public GoldenIndex(Path file) {
        this.file = file;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            long n = all.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
            byte[] header = all.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
            JsonObject h = JsonParser.parseString(new String(header, StandardCharsets.UTF_8)).getAsJsonObject();
            data = all.asSlice(8 + n);
            for (Map.Entry<String, JsonElement> e : h.entrySet()) {
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                JsonObject t = e.getValue().getAsJsonObject();
                var sh = t.getAsJsonArray("shape");
                long[] dims = new long[sh.size()];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = sh.get(i).getAsLong();
                }
                var off = t.getAsJsonArray("data_offsets");
                infos.put(e.getKey(), new TensorInfo(e.getKey(), DType.fromSafetensorsName(t.get("dtype").getAsString()).orElseThrow(),
                        Shape.ofLongs(dims)));
                offsets.put(e.getKey(), new long[] {off.get(0).getAsLong(), off.get(1).getAsLong()});
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public String format() {
        return "safetensors";
    }

    @Override
    public List<TensorInfo> tensors() {
        return new ArrayList<>(infos.values());
    }

    @Override
    public Optional<TensorInfo> info(String name) {
        return Optional.ofNullable(infos.get(name));
    }

    @Override
    public MemorySegment bytes(String name) {
        long[] o = offsets.get(name);
        return data.asSlice(o[0], o[1] - o[0]);
    }

    @Override
    public Map<String, String> metadata() {
        return Map.of();
    }

    @Override
    public void close() {
        arena.close();
    }
}

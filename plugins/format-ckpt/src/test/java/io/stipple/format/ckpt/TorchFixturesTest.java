package io.stipple.format.ckpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.TensorInfo;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Files torch 1.13 wrote (make_fixtures.py) read tensor for tensor as torch itself reads them. */
class TorchFixturesTest {
    private final CkptFormat format = new CkptFormat();

    static Stream<String> fixtures() {
        return Fixtures.expected().keySet().stream().sorted();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void readsWhatTorchWrote(String fileName) throws Exception {
        JsonObject expected = Fixtures.expected().getAsJsonObject(fileName);
        try (TensorIndex index = format.open(Fixtures.file(fileName))) {
            List<String> names = new ArrayList<>();
            for (JsonElement el : expected.getAsJsonArray("tensors")) {
                JsonObject t = el.getAsJsonObject();
                String name = t.get("name").getAsString();
                names.add(name);
                TensorInfo info = index.info(name).orElseThrow(() -> new AssertionError(fileName + ": no tensor " + name
                        + " among " + index.tensors()));
                assertEquals(t.get("dtype").getAsString(), info.dtype().name(), fileName + " " + name + " dtype");
                int[] shape = new int[t.getAsJsonArray("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = t.getAsJsonArray("shape").get(i).getAsInt();
                }
                assertArrayEquals(shape, info.shape().dims(), fileName + " " + name + " shape");
                byte[] bytes = index.bytes(name).toArray(ValueLayout.JAVA_BYTE);
                assertEquals(info.byteSize(), bytes.length, fileName + " " + name + " byte size");
                assertEquals(t.get("hex").getAsString(), HexFormat.of().formatHex(bytes), fileName + " " + name + " bytes");
            }
            assertEquals(names, index.tensors().stream().map(TensorInfo::name).toList(), fileName + ": names in file order");
            Map<String, String> meta = new LinkedHashMap<>();
            expected.getAsJsonObject("metadata").entrySet().forEach(e -> meta.put(e.getKey(), e.getValue().getAsString()));
            assertEquals(meta, index.metadata(), fileName + ": metadata");
        }
    }

    @Test
    void contiguousTensorsAreSlicesOfTheMappedFileAndViewsShareTheirStorage() throws Exception {
        try (TensorIndex index = format.open(Fixtures.file("views.pt"))) {
            MemorySegment whole = index.bytes("whole");
            MemorySegment slice = index.bytes("slice");
            MemorySegment row = index.bytes("row");
            assertTrue(whole.isMapped() && slice.isMapped() && row.isMapped(), "contiguous tensors are mapped in place");
            assertEquals(whole.address() + 6 * 4, slice.address(), "base[6:12] starts 6 floats into whole's storage");
            assertEquals(whole.address() + 12 * 4, row.address(), "whole[2] starts 12 floats in");
            assertEquals(whole.address(), index.bytes("tied").address(), "the same tensor under two names");
            MemorySegment transposed = index.bytes("transposed");
            assertFalse(transposed.isMapped(), "a transposed view is copied");
            assertEquals(transposed.address(), index.bytes("transposed").address(), "and copied once");
        }
    }

    @Test
    void legacyStoragesAreMappedInPlaceToo() throws Exception {
        try (TensorIndex index = format.open(Fixtures.file("legacy_views.pt"))) {
            MemorySegment whole = index.bytes("whole");
            assertTrue(whole.isMapped());
            assertEquals(whole.address() + 6 * 4, index.bytes("slice").address());
        }
    }
}

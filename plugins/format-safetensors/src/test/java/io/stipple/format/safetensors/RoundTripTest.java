package io.stipple.format.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.format.safetensors.TestFiles.Tensor;
import io.stipple.plugin.api.TensorEntry;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.DType;
import io.stipple.tensor.Shape;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RoundTripTest {
    private final SafetensorsFormat format = new SafetensorsFormat();

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DType.class)
    void everyDtypeRoundTrips(DType dtype) throws IOException {
        Random random = new Random(dtype.ordinal());
        List<Tensor> tensors = List.of(
                TestFiles.tensor("matrix", dtype, random, 3, 5),
                TestFiles.tensor("conv.weight", dtype, random, 2, 3, 3, 3),
                TestFiles.tensor("vector", dtype, random, 7));
        assertRoundTrip(tensors, Map.of("dtype", dtype.name()));
    }

    @Test
    void mixedDtypesMetadataEmptyTensorsAndScalars() throws IOException {
        Random random = new Random(7);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("ss_training_comment", "line one\nline \"two\"\t\\ — ünïcødé 😀");
        metadata.put("", "empty key");
        List<Tensor> tensors = List.of(
                TestFiles.tensor("scalar", DType.F32, random),
                TestFiles.tensor("empty", DType.F16, random, 0),
                TestFiles.tensor("empty.2d", DType.F32, random, 3, 0),
                TestFiles.tensor("odd.f16", DType.F16, random, 3), // 6 bytes: the next tensor is unaligned, as given
                TestFiles.tensor("bf16", DType.BF16, random, 4, 4),
                TestFiles.tensor("another.empty", DType.I64, random, 0, 5),
                TestFiles.tensor("ids", DType.I64, random, 1, 77),
                TestFiles.tensor("scalar.bool", DType.BOOL, random));
        assertRoundTrip(tensors, metadata);
    }

    @Test
    void unicodeAndEscapedNames() throws IOException {
        Random random = new Random(11);
        List<Tensor> tensors = List.of(
                TestFiles.tensor("日本語.重み", DType.F32, random, 2),
                TestFiles.tensor("emoji 😀/🎨", DType.F32, random, 2),
                TestFiles.tensor("quote\" backslash\\ slash/", DType.F32, random, 2),
                TestFiles.tensor("control\u0001\u001f\n\t\r\b\f", DType.F32, random, 2),
                TestFiles.tensor("", DType.F32, random, 1));
        assertRoundTrip(tensors, Map.of("ключ", "значение"));
    }

    @Test
    void noTensorsAtAll() throws IOException {
        assertRoundTrip(List.of(), Map.of());
        assertRoundTrip(List.of(), Map.of("only", "metadata"));
    }

    @Test
    void headerIsPaddedWithSpacesSoTheDataIsEightAligned() throws IOException {
        for (int nameLength = 1; nameLength <= 9; nameLength++) {
            Tensor t = TestFiles.tensor("n".repeat(nameLength), DType.F64, new Random(nameLength), 2);
            Path file = dir.resolve("aligned" + nameLength + ".safetensors");
            format.write(file, List.of(t.entry()), Map.of());
            byte[] bytes = Files.readAllBytes(file);
            long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            assertEquals(0, headerLength % 8, "header length " + headerLength);
            String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
            String padding = header.substring(header.lastIndexOf('}') + 1);
            assertTrue(padding.length() < 8 && padding.chars().allMatch(c -> c == ' '), "padding '" + padding + "'");
            assertEquals(8 + headerLength + 16, bytes.length);
        }
    }

    /** The byte-exact outputs of the reference implementation's own serialization tests. */
    @Test
    void writesTheSameBytesAsTheReferenceImplementation() throws IOException {
        byte[] data = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN)
                .putFloat(0).putFloat(1).putFloat(2).putFloat(3).putFloat(4).putFloat(5).array();
        TensorEntry attn = new TensorEntry(new TensorInfo("attn.0", DType.F32, Shape.of(1, 2, 3)),
                () -> MemorySegment.ofArray(data));
        assertArrayEquals(
                TestFiles.file("{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}"
                        .getBytes(StandardCharsets.UTF_8), data),
                written(List.of(attn), Map.of()));
        TensorEntry attn0 = new TensorEntry(new TensorInfo("attn0", DType.F32, Shape.of(1, 1, 2, 3)),
                () -> MemorySegment.ofArray(data));
        assertArrayEquals(
                TestFiles.file("{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}       "
                        .getBytes(StandardCharsets.UTF_8), data),
                written(List.of(attn0), Map.of()));
        assertArrayEquals(new byte[] {8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' '},
                written(List.of(), Map.of()));
        assertArrayEquals(
                TestFiles.file("{\"__metadata__\":{\"framework\":\"pt\"}}     ".getBytes(StandardCharsets.UTF_8), new byte[0]),
                written(List.of(), Map.of("framework", "pt")));
    }

    @Test
    void readsHeaderOrderNotOffsetOrder() throws IOException {
        // b's data comes first in the buffer, but the header lists a first
        String header = "{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[3,5]},"
                + "\"b\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[0,3]}}";
        Path file = TestFiles.write(dir, "order.safetensors", TestFiles.file(header, 5));
        try (TensorIndex index = format.open(file)) {
            assertEquals(List.of("a", "b"), index.tensors().stream().map(TensorInfo::name).toList());
            assertArrayEquals(new byte[] {3, 4}, index.bytes("a").toArray(ValueLayout.JAVA_BYTE));
            assertArrayEquals(new byte[] {0, 1, 2}, index.bytes("b").toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void acceptsWhatTheReferenceAccepts() throws IOException {
        // unknown fields in an entry are ignored, a null __metadata__ is none, JSON whitespace anywhere after '{'
        String header = "{ \"__metadata__\" : null ,\n\t\"a\" : {\"extra\": {\"nested\": [1, 2.5e3, true, null, \"s\"]},"
                + " \"dtype\": \"I16\", \"shape\": [ 2 ], \"data_offsets\": [0, 4] } }\r\n";
        Path file = TestFiles.write(dir, "lenient.safetensors", TestFiles.file(header, 4));
        try (TensorIndex index = format.open(file)) {
            assertEquals(Map.of(), index.metadata());
            assertEquals(new TensorInfo("a", DType.I16, Shape.of(2)), index.info("a").orElseThrow());
        }
    }

    @Test
    void suppliersAreCalledOneAtATimeInOrder() throws IOException {
        List<String> calls = new ArrayList<>();
        List<TensorEntry> entries = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String name = "t" + i;
            TensorInfo info = new TensorInfo(name, DType.F32, Shape.of(i + 1));
            entries.add(new TensorEntry(info, () -> {
                calls.add(name);
                return MemorySegment.ofArray(new float[info.shape().size()]); // not a byte[]: staged copy
            }));
        }
        format.write(dir.resolve("calls.safetensors"), entries, Map.of());
        assertEquals(List.of("t0", "t1", "t2", "t3"), calls);
    }

    private byte[] written(List<TensorEntry> entries, Map<String, String> metadata) throws IOException {
        Path file = dir.resolve("written.safetensors");
        format.write(file, entries, metadata);
        return Files.readAllBytes(file);
    }

    private void assertRoundTrip(List<Tensor> tensors, Map<String, String> metadata) throws IOException {
        Path file = dir.resolve("round-trip.safetensors");
        assertTrue(format.canWrite());
        format.write(file, tensors.stream().map(Tensor::entry).toList(), metadata);
        byte[] head = Files.readAllBytes(file);
        assertTrue(format.canRead(file, ByteBuffer.wrap(head, 0, Math.min(64, head.length)).slice()));
        try (TensorIndex index = format.open(file)) {
            assertEquals(file, index.file());
            assertEquals("safetensors", index.format());
            assertEquals(metadata, index.metadata());
            assertEquals(tensors.stream().map(Tensor::info).toList(), index.tensors());
            for (Tensor t : tensors) {
                String name = t.info().name();
                assertTrue(index.contains(name), name);
                assertEquals(t.info(), index.info(name).orElseThrow());
                MemorySegment bytes = index.bytes(name);
                assertTrue(bytes.isMapped(), "a slice of the mapping, not a copy");
                assertTrue(bytes.isReadOnly());
                assertArrayEquals(t.bytes(), bytes.toArray(ValueLayout.JAVA_BYTE), name);
            }
            assertFalse(index.contains("missing"));
        }
    }
}

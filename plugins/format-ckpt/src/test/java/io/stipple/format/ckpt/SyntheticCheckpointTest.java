package io.stipple.format.ckpt;

import static io.stipple.format.ckpt.CheckpointFiles.floats;
import static io.stipple.format.ckpt.CheckpointFiles.longs;
import static io.stipple.format.ckpt.CheckpointFiles.swapped;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.format.ckpt.CheckpointFiles.Entry;
import io.stipple.format.ckpt.TorchPickles.Tensor;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.DType;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Valid checkpoints torch 1.13 cannot write here, built by the test: other byte orders, zip64, layouts. */
class SyntheticCheckpointTest {
    private final CkptFormat format = new CkptFormat();
    @TempDir
    Path dir;

    private static byte[] bytesOf(TensorIndex index, String name) {
        return index.bytes(name).toArray(ValueLayout.JAVA_BYTE);
    }

    private static List<String> names(TensorIndex index) {
        return index.tensors().stream().map(TensorInfo::name).toList();
    }

    @Test
    void bigEndianFilesAreConvertedToLittleEndian() throws Exception {
        byte[] pickle = TorchPickles.stateDict(List.of(
                Tensor.contiguous("w", "FloatStorage", "0", 2, 2),
                new Tensor("wt", "FloatStorage", "0", 4, 0, new long[] {2, 2}, new long[] {1, 2}),
                Tensor.contiguous("steps", "LongStorage", "1", 2),
                Tensor.contiguous("flags", "BoolStorage", "2", 2)));
        List<Entry> entries = new ArrayList<>(CheckpointFiles.torchEntries("archive", pickle, Map.of(
                "0", swapped(floats(1.5f, -2f, 3.25f, 4f), 4), "1", swapped(longs(7, -9), 8), "2", new byte[] {1, 0})));
        entries.add(Entry.stored("archive/byteorder", "big".getBytes()));
        try (TensorIndex index = format.open(CheckpointFiles.zip(dir.resolve("big.pt"), entries))) {
            assertArrayEquals(floats(1.5f, -2f, 3.25f, 4f), bytesOf(index, "w"));
            assertArrayEquals(floats(1.5f, 3.25f, -2f, 4f), bytesOf(index, "wt"));
            assertArrayEquals(longs(7, -9), bytesOf(index, "steps"));
            assertArrayEquals(new byte[] {1, 0}, bytesOf(index, "flags"));
        }
    }

    @Test
    void littleByteorderRecordIsTheDefault() throws Exception {
        byte[] pickle = TorchPickles.stateDict(List.of(Tensor.contiguous("w", "FloatStorage", "0", 2)));
        List<Entry> entries = new ArrayList<>(CheckpointFiles.torchEntries("archive", pickle, Map.of("0", floats(1, 2))));
        entries.add(Entry.stored("archive/byteorder", "little".getBytes()));
        try (TensorIndex index = format.open(CheckpointFiles.zip(dir.resolve("little.pt"), entries))) {
            assertTrue(index.bytes("w").isMapped());
            assertArrayEquals(floats(1, 2), bytesOf(index, "w"));
        }
    }

    @Test
    void zip64FieldsAreRead() throws Exception {
        byte[] pickle = TorchPickles.stateDict(List.of(Tensor.contiguous("w", "FloatStorage", "0", 3)));
        Path file = Zip64Writer.write(dir.resolve("z64.pt"),
                CheckpointFiles.torchEntries("z64", pickle, Map.of("0", floats(1, 2, 3))));
        try (TensorIndex index = format.open(file)) {
            assertArrayEquals(floats(1, 2, 3), bytesOf(index, "w"));
        }
    }

    @Test
    void zipsOfMoreThan65535EntriesUseTheZip64EndRecord() throws Exception {
        byte[] pickle = TorchPickles.stateDict(List.of(Tensor.contiguous("w", "FloatStorage", "0", 1)));
        List<Entry> entries = new ArrayList<>(CheckpointFiles.torchEntries("big", pickle, Map.of("0", floats(5))));
        for (int i = 0; i < 70_000; i++) {
            entries.add(Entry.stored("big/extra/" + i, new byte[0]));
        }
        Path file = CheckpointFiles.zip(dir.resolve("many.pt"), entries);
        byte[] all = Files.readAllBytes(file);
        int eocdCount = (all[all.length - 12] & 0xff) | (all[all.length - 11] & 0xff) << 8;
        assertEquals(0xffff, eocdCount, "the classic end record defers to zip64");
        try (TensorIndex index = format.open(file)) {
            assertArrayEquals(floats(5), bytesOf(index, "w"));
        }
    }

    @Test
    void aDeflatedPickleIsInflatedWithinItsLimit() throws Exception {
        byte[] pickle = TorchPickles.stateDict(List.of(Tensor.contiguous("w", "FloatStorage", "0", 2)));
        List<Entry> entries = List.of(Entry.deflated("rezipped/data.pkl", pickle), Entry.stored("rezipped/data/0", floats(1, 2)));
        try (TensorIndex index = format.open(CheckpointFiles.zip(dir.resolve("rezipped.ckpt"), entries))) {
            assertArrayEquals(floats(1, 2), bytesOf(index, "w"));
        }
    }

    @Test
    void theArchiveFolderIsFoundWhereverDataPklIs() throws Exception {
        byte[] pickle = TorchPickles.stateDict(List.of(Tensor.contiguous("w", "FloatStorage", "0", 1)));
        List<Entry> entries = List.of(Entry.stored("my model/version", "3\n".getBytes()),
                Entry.stored("my model/data/0", floats(9)), Entry.stored("my model/data.pkl", pickle));
        try (TensorIndex index = format.open(CheckpointFiles.zip(dir.resolve("odd.pt"), entries))) {
            assertArrayEquals(floats(9), bytesOf(index, "w"));
        }
    }

    @Test
    void untypedStoragesWithRebuildTensorV3() throws Exception {
        PickleWriter w = new PickleWriter().proto(2).emptyDict().str("e4m3").global("torch._utils", "_rebuild_tensor_v3").mark();
        w.mark().str("storage").global("torch", "UntypedStorage").str("0").str("cpu").integer(6).tuple().op('Q');
        w.integer(1).ints(2, 2).ints(2, 1).bool(false).global("collections", "OrderedDict").emptyTuple().reduce()
                .global("torch", "float8_e4m3fn").tuple().reduce().setItem().stop();
        Path file = CheckpointFiles.torchZip(dir.resolve("fp8.pt"), w.bytes(), Map.of("0", new byte[] {0, 1, 2, 3, 4, 5}));
        try (TensorIndex index = format.open(file)) {
            assertEquals(new TensorInfo("e4m3", DType.F8_E4M3, io.stipple.tensor.Shape.of(2, 2)), index.info("e4m3").orElseThrow());
            assertArrayEquals(new byte[] {1, 2, 3, 4}, bytesOf(index, "e4m3"));
        }
    }

    @Test
    void legacyStorageViews() throws Exception {
        // ('storage', torch.FloatStorage, 'root', 'cpu', 6, ('view', 2, 3)): tensors index the view from its start.
        PickleWriter w = new PickleWriter().proto(2).emptyDict().str("v").global("torch._utils", "_rebuild_tensor_v2").mark();
        w.mark().str("storage").global("torch", "FloatStorage").str("root").str("cpu").integer(6)
                .str("view").integer(2).integer(3).op(0x87).tuple().op('Q');
        w.integer(1).ints(2).ints(1).bool(false).global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce()
                .setItem().stop();
        LinkedHashMap<String, byte[]> storages = new LinkedHashMap<>();
        storages.put("root", floats(0, 1, 2, 3, 4, 5));
        Path file = dir.resolve("legacy_view.pt");
        Files.write(file, CheckpointFiles.legacy(w.bytes(), storages, Map.of("root", 6L)));
        try (TensorIndex index = format.open(file)) {
            assertArrayEquals(floats(3, 4), bytesOf(index, "v"));
        }
    }

    private TensorIndex openDict(String name, PickleWriter dictOnStack) throws Exception {
        return format.open(CheckpointFiles.torchZip(dir.resolve(name), dictOnStack.stop().bytes(), Map.of("0", floats(1, 2))));
    }

    private static PickleWriter tensor(PickleWriter w) {
        TorchPickles.tensor(w, Tensor.contiguous("", "FloatStorage", "0", 2));
        return w;
    }

    @Test
    void wrappersAreUnwrapped() throws Exception {
        for (String wrapper : List.of("model", "module", "model_state_dict", "anything_alone")) {
            PickleWriter w = new PickleWriter().proto(2).emptyDict().str(wrapper).emptyDict().str("w");
            tensor(w).setItem().setItem();
            try (TensorIndex index = openDict(wrapper + ".pt", w)) {
                assertEquals(List.of("w"), names(index), wrapper);
            }
        }
    }

    @Test
    void aModelEntryBesideTensorsIsFlattenedNotUnwrapped() throws Exception {
        PickleWriter w = new PickleWriter().proto(2).emptyDict().str("top");
        tensor(w).setItem().str("model").emptyDict().str("w");
        tensor(w).setItem().setItem();
        try (TensorIndex index = openDict("mixed.pt", w)) {
            assertEquals(List.of("top", "model.w"), names(index));
        }
    }

    @Test
    void nonStringKeysListsAndScalarsAreSkipped() throws Exception {
        PickleWriter w = new PickleWriter().proto(2).emptyDict().str("w");
        tensor(w).setItem().integer(5);
        tensor(w).setItem().str("history").op(']');
        tensor(w).op('a').setItem().str("note").str("hello").setItem().str("ok").bool(true).setItem()
                .str("nothing").none().setItem();
        try (TensorIndex index = openDict("skips.pt", w)) {
            assertEquals(List.of("w"), names(index));
            assertEquals(Map.of("note", "hello", "ok", "True"), index.metadata());
        }
    }

    @Test
    void anEmptyStateDictHasNoTensors() throws Exception {
        try (TensorIndex index = openDict("empty.pt", new PickleWriter().proto(2).emptyDict().str("global_step").integer(3).setItem())) {
            assertTrue(index.tensors().isEmpty());
            assertEquals(Map.of("global_step", "3"), index.metadata());
        }
    }

    @Test
    void theTensorIndexContract() throws Exception {
        Path file = CheckpointFiles.torchZip(dir.resolve("contract.pt"),
                TorchPickles.wrapped(List.of(Tensor.contiguous("a.b", "FloatStorage", "0", 2))), Map.of("0", floats(1, 2)));
        TensorIndex index = format.open(file);
        assertEquals(file, index.file());
        assertEquals("ckpt", index.format());
        assertTrue(index.contains("a.b"));
        assertFalse(index.contains("a"));
        assertEquals(8, index.info("a.b").orElseThrow().byteSize());
        assertEquals(Map.of("global_step", "7"), index.metadata());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> index.bytes("nope"));
        assertEquals("no tensor nope in contract.pt (1 tensors)", missing.getMessage());
        index.close();
        assertThrows(IllegalStateException.class, () -> index.bytes("a.b"));
        index.close();
    }
}

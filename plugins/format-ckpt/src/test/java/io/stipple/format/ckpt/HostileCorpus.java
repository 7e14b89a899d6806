package io.stipple.format.ckpt;

import static io.stipple.format.ckpt.CheckpointFiles.floats;

import io.stipple.format.ckpt.CheckpointFiles.Entry;
import io.stipple.format.ckpt.TorchPickles.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Hostile and broken checkpoints, written by the tests themselves, each with words its refusal must
 * contain. Payloads that would run a command if unpickled by Python run {@code touch <marker>}, so a
 * test can check that the marker never appears.
 */
final class HostileCorpus {
    interface Writer {
        void write(Path file) throws IOException;
    }

    record Case(String name, String expected, Writer writer) {
        Path write(Path dir) throws IOException {
            Path file = dir.resolve(name + ".ckpt");
            writer.write(file);
            return file;
        }
    }

    private HostileCorpus() {}

    static List<Case> cases(Path marker) {
        String touch = "touch " + marker;
        List<Case> c = new ArrayList<>();
        // Code execution through globals and calls.
        c.add(pickle("os_system", "GLOBAL names os.system, which is not allowed",
                p2().global("os", "system").str(touch).op(0x85).reduce().stop()));
        c.add(pickle("posix_system", "GLOBAL names posix.system", p2().global("posix", "system").str(touch).op(0x85).reduce().stop()));
        c.add(pickle("builtins_eval", "STACK_GLOBAL names builtins.eval", new PickleWriter().proto(4)
                .stackGlobal("builtins", "eval").str("__import__('os').system('" + touch + "')").op(0x85).reduce().stop()));
        c.add(pickle("subprocess_popen", "GLOBAL names subprocess.Popen", p2().global("subprocess", "Popen")
                .op(']').mark().str("touch").str(marker.toString()).op('e').op(0x85).reduce().stop()));
        c.add(pickle("python2_getattr", "GLOBAL names __builtin__.getattr", p2().global("__builtin__", "getattr").stop()));
        c.add(pickle("torch_load_inside", "GLOBAL names torch.load", p2().global("torch", "load").stop()));
        c.add(pickle("global_inside_tensor_args", "GLOBAL names os.getcwd", tensorWithSize(
                new PickleWriter().mark().global("os", "getcwd").emptyTuple().reduce().tuple())));
        c.add(pickle("inst_inside_tensor_args", "INST would create an instance of builtins.exec", tensorWithSize(
                new PickleWriter().mark().str("import os").op('i').raw("builtins\nexec\n".getBytes()))));
        c.add(pickle("newobj_inside_tensor_args", "NEWOBJ would create an instance of torch.device", tensorWithSize(
                new PickleWriter().global("torch", "device").emptyTuple().op(0x81))));
        c.add(pickle("build_inside_tensor_args", "BUILD on a tuple", tensorWithSize(
                new PickleWriter().ints(2).emptyDict().str("__setstate__").str(touch).setItem().op('b'))));
        c.add(pickle("stack_global_after_valid_tensors", "STACK_GLOBAL names os.system", afterValidTensor(
                new PickleWriter().stackGlobal("os", "system").str(touch).op(0x85).reduce())));
        c.add(pickle("reduce_on_a_string", "REDUCE calls a str", p2().str("os.system").str(touch).op(0x85).reduce().stop()));
        c.add(pickle("reduce_on_storage_type", "REDUCE calls torch.FloatStorage", p2().global("torch", "FloatStorage")
                .op(']').op(0x85).reduce().stop()));
        c.add(pickle("reduce_on_tensor_class", "REDUCE calls torch.FloatTensor", p2().global("torch", "FloatTensor")
                .emptyTuple().reduce().stop()));
        c.add(pickle("reduce_args_not_tuple", "arguments of collections.OrderedDict is a str", p2()
                .global("collections", "OrderedDict").str(touch).reduce().stop()));
        c.add(pickle("inst", "INST would create an instance of os.system", p2().mark().str(touch)
                .op('i').raw("os\nsystem\n".getBytes()).stop()));
        c.add(pickle("obj", "OBJ would create an instance of collections.OrderedDict", p2().mark()
                .global("collections", "OrderedDict").op('o').stop()));
        c.add(pickle("newobj_device", "NEWOBJ would create an instance of torch.device", p2().global("torch", "device")
                .emptyTuple().op(0x81).stop()));
        c.add(pickle("newobj_ex_on_a_string", "NEWOBJ calls a str", new PickleWriter().proto(4).str("os.system")
                .emptyTuple().emptyDict().op(0x92).stop()));
        c.add(pickle("build_on_a_class", "BUILD on a collections.OrderedDict", p2().global("collections", "OrderedDict")
                .emptyDict().str("__setstate__").str(touch).setItem().op('b').stop()));
        c.add(pickle("build_on_a_device", "BUILD on a torch.device", p2().global("torch", "device").str("cpu")
                .op(0x85).reduce().emptyDict().op('b').stop()));
        c.add(pickle("ext1", "EXT1 names a global through copyreg", p2().op(0x82).u8(1).stop()));
        c.add(pickle("tensor_subclass", "makes a collections.OrderedDict", p2().global("torch._tensor", "_rebuild_from_type_v2")
                .mark().global("torch._utils", "_rebuild_tensor_v2").global("collections", "OrderedDict").emptyTuple()
                .emptyDict().tuple().reduce().stop()));
        c.add(pickle("quantized_tensor", "quantized, sparse", p2().global("torch._utils", "_rebuild_qtensor").emptyTuple().reduce().stop()));
        c.add(pickle("whole_module", "pickles a whole nn.Module", p2().mark().str("module")
                .global("collections", "OrderedDict").str("model.py").str("import os; os.system('" + touch + "')").tuple()
                .op('Q').stop()));
        c.add(pickle("persistent_id_not_storage", "persistent id ('zipfile', ...)", p2().mark().str("zipfile").str("x").tuple()
                .op('Q').stop()));
        c.add(pickle("persistent_id_not_tuple", "persistent id is a str", p2().str("storage").op('Q').stop()));
        c.add(pickle("complex_storage", "storage type torch.ComplexFloatStorage is not supported",
                TorchPickles.stateDict(List.of(Tensor.contiguous("c", "ComplexFloatStorage", "0", 2)))));
        c.add(pickle("complex_dtype_v3", "tensor dtype torch.complex64 is not supported", p2()
                .global("torch._utils", "_rebuild_tensor_v3").mark().mark().str("storage").global("torch", "UntypedStorage")
                .str("0").str("cpu").integer(8).tuple().op('Q').integer(0).ints(1).ints(1).bool(false).none()
                .global("torch", "complex64").tuple().reduce().stop()));

        // Tensors that reach outside their storage.
        c.add(tensor("offset_past_the_end", "reaches element 11 of a storage of 4", new Tensor("w", "FloatStorage", "0", 4, 10,
                new long[] {2}, new long[] {1}), 4));
        c.add(tensor("stride_outside", "reaches element 7 of a storage of 6", new Tensor("w", "FloatStorage", "0", 6, 0,
                new long[] {2, 3}, new long[] {3, 2}), 6));
        long big = Integer.MAX_VALUE;
        c.add(tensor("huge_shape", "reaches element 3221225469 of a storage of 4", new Tensor("w", "FloatStorage", "0", 4, 0,
                new long[] {big, 1L << 30}, new long[] {1, 1}), 4));
        c.add(tensor("dimension_above_int", "size[0] = 1099511627776 (expected: 0 to 2147483647)", new Tensor("w",
                "FloatStorage", "0", 4, 0, new long[] {1L << 40}, new long[] {0}), 4));
        c.add(tensor("element_count_overflow", "more elements or a larger extent than 2^63", new Tensor("w", "FloatStorage",
                "0", 1, 0, new long[] {big, big, big, big}, new long[] {0, 0, 0, 0}), 1));
        c.add(tensor("broadcast_bomb", "a strided view of 67108864 bytes over a storage of 16384 bytes", new Tensor("w",
                "FloatStorage", "0", 4096, 0, new long[] {4096, 4096}, new long[] {0, 1}), 4096));
        c.add(tensor("negative_stride", "stride[0] = -1", new Tensor("w", "FloatStorage", "0", 4, 3, new long[] {2},
                new long[] {-1}), 4));
        c.add(tensor("negative_offset", "negative storage offset", new Tensor("w", "FloatStorage", "0", 4, -1, new long[] {2},
                new long[] {1}), 4));
        c.add(tensor("rank_mismatch", "size of rank 2 and stride of rank 1", new Tensor("w", "FloatStorage", "0", 4, 0,
                new long[] {2, 2}, new long[] {1}), 4));
        c.add(tensor("storage_smaller_than_declared", "holds 16 bytes (expected: at least 4000 for 1000 elements",
                new Tensor("w", "FloatStorage", "0", 1000, 0, new long[] {4}, new long[] {1}), 4));
        c.add(new Case("storage_missing", "has no entry archive/data/0 in the zip", f -> CheckpointFiles.torchZip(f,
                TorchPickles.stateDict(List.of(Tensor.contiguous("w", "FloatStorage", "0", 2))), Map.of())));
        c.add(new Case("storage_numel_negative", "numel of storage 0 is -4", f -> CheckpointFiles.torchZip(f,
                TorchPickles.stateDict(List.of(new Tensor("w", "FloatStorage", "0", -4, 0, new long[] {1}, new long[] {1}))),
                Map.of("0", floats(1)))));

        // Zip damage and zip bombs.
        c.add(new Case("compressed_storage_bomb", "is compressed (zip method 8", f -> ZipBombs.compressedStorage(f, 64 << 20)));
        c.add(new Case("pickle_zip_bomb", "inflates to 104857600 bytes (expected: at most 67108864)",
                f -> ZipBombs.deflatedPickle(f, 100 << 20)));
        c.add(new Case("pickle_zip_bomb_lying_size", "inflates past its declared 100 bytes",
                f -> ZipBombs.deflatedPickleDeclaring(f, 8 << 20, 100)));
        c.add(new Case("truncated_zip", "no end of central directory record", f -> {
            Path whole = validZip(f.resolveSibling(f.getFileName() + ".whole"));
            byte[] all = Files.readAllBytes(whole);
            Files.write(f, Arrays.copyOf(all, all.length * 6 / 10));
        }));
        c.add(new Case("directory_outside_the_file", "lies outside the file", f -> ZipBombs.patchEndRecord(validZip(f), 16, 0x7fffff00L, 4)));
        c.add(new Case("entry_count_lies", "declares 65535 entries in a central directory of", f -> {
            ZipBombs.patchEndRecord(validZip(f), 8, 0xffff, 2);
            ZipBombs.patchEndRecord(f, 10, 0xffff, 2);
        }));
        c.add(new Case("duplicate_entries", "zip holds two entries named archive/data/0", f -> Zip64Writer.write(f, List.of(
                Entry.stored("archive/data.pkl", TorchPickles.stateDict(List.of(Tensor.contiguous("w", "FloatStorage", "0", 1)))),
                Entry.stored("archive/data/0", floats(1)), Entry.stored("archive/data/0", floats(2))))));
        c.add(new Case("entry_name_too_long", "has a name of 5000 bytes (expected: at most 4096)", f -> CheckpointFiles.zip(f,
                List.of(Entry.stored("a/" + "x".repeat(4998), new byte[0])))));
        c.add(new Case("pickle_missing", "zip has no <folder>/data.pkl entries", f -> CheckpointFiles.zip(f, List.of(
                Entry.stored("archive/data/0", floats(1)), Entry.stored("archive/version", "3\n".getBytes())))));
        c.add(new Case("empty_zip", "zip has no entries", f -> CheckpointFiles.zip(f, List.of())));
        c.add(new Case("bad_byteorder", "says 'middle' (expected: 'little' or 'big')", f -> {
            List<Entry> e = new ArrayList<>(CheckpointFiles.torchEntries("archive",
                    TorchPickles.stateDict(List.of(Tensor.contiguous("w", "FloatStorage", "0", 1))), Map.of("0", floats(1))));
            e.add(Entry.stored("archive/byteorder", "middle".getBytes()));
            CheckpointFiles.zip(f, e);
        }));

        // Not a checkpoint at all.
        c.add(new Case("garbage", "not a PyTorch checkpoint: starts with", f -> {
            byte[] b = new byte[4096];
            new Random(7).nextBytes(b);
            b[0] = 0x3c;
            Files.write(f, b);
        }));
        c.add(new Case("empty_file", "file of 0 bytes is too short", f -> Files.write(f, new byte[0])));
        c.add(new Case("tar_archive", "a tar archive: the format of PyTorch before 0.4", f -> {
            byte[] b = new byte[1024];
            System.arraycopy("ustar".getBytes(), 0, b, 257, 5);
            b[0] = 'a';
            Files.write(f, b);
        }));

        // Pickles that would exhaust memory, the stack or the recursion of a naive reader.
        c.add(pickle("deep_tuples", "values nested 1001 deep", repeat(p2().none(), 0x85, 5000).stop()));
        c.add(pickle("deep_marks", "more than 1000 MARKs open", repeat(p2(), '(', 5000).stop()));
        c.add(pickle("dicts_nested_too_deep", "dicts nested deeper than 32", nestedDicts(40, true)));
        c.add(pickle("wrapped_too_deep", "wrapped in more than 32 dicts", nestedDicts(40, false)));
        c.add(pickle("dict_inside_itself", "appears twice in the state dict", p2().emptyDict().op('q').u8(0).str("self")
                .op('h').u8(0).setItem().stop()));
        c.add(pickle("shared_dict_doubling", "appears twice in the state dict", sharedDicts(30)));
        c.add(pickle("list_bomb", "pickle builds more than 128 MiB of objects", listBomb(4_000_000)));
        c.add(pickle("dict_bomb", "pickle builds more than 128 MiB of objects", dictBomb(1_000_000)));
        c.add(pickle("storage_bomb", "pickle builds more than 128 MiB of objects", storageBomb(400_000)));
        c.add(pickle("scattered_memo_bomb", "is one of more than 65536 scattered far from the others", memoBomb(100_000)));
        c.add(pickle("stack_bomb", "pickle stack holds more than 1048576 values", repeat(p2(), 'N', 1_100_000).stop()));
        c.add(pickle("huge_declared_string", "(expected: at most 16777216)", p2().op(0x8e).le(1L << 62, 8).stop()));
        c.add(pickle("truncated_string", "pickle truncated: needs 1000 bytes", p2().op('X').le(1000, 4).raw("abc".getBytes())));
        c.add(pickle("no_stop", "pickle truncated: needs 1 bytes", p2().emptyDict().bytes()));
        c.add(pickle("unknown_opcode", "unknown pickle opcode 0xff", p2().op(0xff).stop()));
        c.add(pickle("protocol_0_opcode", "unsupported pickle opcode INT", p2().op('I').raw("1\n".getBytes()).stop()));
        c.add(pickle("protocol_6", "pickle protocol 6 (expected: 2 to 5)", new PickleWriter().proto(6).emptyDict().stop()));
        c.add(pickle("stack_underflow", "REDUCE on an empty stack", p2().reduce().stop()));
        c.add(pickle("memo_missing", "memo entry 5 is empty", p2().op('h').u8(5).stop()));
        c.add(pickle("setitems_on_a_list", "SETITEMS on a list", p2().op(']').mark().str("a").none().setItems().stop()));
        c.add(pickle("root_not_a_dict", "the pickle holds a list (expected: a dict of tensors", p2().op(']').stop()));
        c.add(pickle("two_paths_one_name", "two tensors named a.b", twoPathsOneName()));

        // The legacy format.
        c.add(new Case("legacy_bad_magic", "(expected: torch's magic number 0x1950a86a20f9469cfc6c)",
                f -> Files.write(f, p2().integer(42).stop().bytes())));
        c.add(new Case("legacy_os_system", "GLOBAL names nt.system", f -> Files.write(f, CheckpointFiles.legacy(
                p2().global("nt", "system").str(touch).op(0x85).reduce().stop().bytes(), new LinkedHashMap<>(), Map.of()))));
        c.add(new Case("legacy_truncated_storage", "runs past the end of the file", f -> {
            byte[] all = legacyFile(4, 4);
            Files.write(f, Arrays.copyOf(all, all.length - 3));
        }));
        c.add(new Case("legacy_count_mismatch", "holds 5 elements (expected: 4, as the pickle declares)",
                f -> Files.write(f, legacyFile(4, 5))));
        c.add(new Case("legacy_unknown_key", "legacy storage list names 'ghost', which the pickle never uses", f -> {
            LinkedHashMap<String, byte[]> storages = new LinkedHashMap<>();
            storages.put("ghost", floats(1));
            Files.write(f, CheckpointFiles.legacy(p2().emptyDict().stop().bytes(), storages, Map.of("ghost", 1L)));
        }));
        return c;
    }

    private static PickleWriter p2() {
        return new PickleWriter().proto(2);
    }

    /** A zip checkpoint whose data.pkl is {@code pickle}. */
    private static Case pickle(String name, String expected, PickleWriter pickle) {
        return pickle(name, expected, pickle.bytes());
    }

    private static Case pickle(String name, String expected, byte[] pickle) {
        return new Case(name, expected, f -> CheckpointFiles.torchZip(f, pickle, Map.of("0", floats(1, 2, 3, 4))));
    }

    /** One tensor over a storage "0" of {@code storageFloats} floats. */
    private static Case tensor(String name, String expected, Tensor t, int storageFloats) {
        return new Case(name, expected, f -> CheckpointFiles.torchZip(f, TorchPickles.stateDict(List.of(t)),
                Map.of("0", new byte[4 * storageFloats])));
    }

    private static Path validZip(Path f) throws IOException {
        return CheckpointFiles.torchZip(f, TorchPickles.stateDict(List.of(Tensor.contiguous("w", "FloatStorage", "0", 4))),
                Map.of("0", floats(1, 2, 3, 4)));
    }

    private static PickleWriter tensorWithSize(PickleWriter sizeTuple) {
        PickleWriter w = p2().emptyDict().str("w").global("torch._utils", "_rebuild_tensor_v2").mark();
        w.mark().str("storage").global("torch", "FloatStorage").str("0").str("cpu").integer(4).tuple().op('Q');
        w.integer(0).raw(sizeTuple.bytes()).ints(1).bool(false).none().tuple().reduce().setItem().stop();
        return w;
    }

    /** {"w": <valid tensor>, "x": <value>} at protocol 4. */
    private static PickleWriter afterValidTensor(PickleWriter value) {
        PickleWriter w = new PickleWriter().proto(4).emptyDict().mark().shortStr("w");
        TorchPickles.tensor(w, Tensor.contiguous("w", "FloatStorage", "0", 4));
        return w.shortStr("x").raw(value.bytes()).setItems().stop();
    }

    private static PickleWriter repeat(PickleWriter w, int opcode, int times) {
        for (int i = 0; i < times; i++) {
            w.op(opcode);
        }
        return w;
    }

    /** {"a": {"a": ... {}}} {@code depth} dicts deep; with a tensor beside the outermost "a", so it is not a wrapper. */
    private static byte[] nestedDicts(int depth, boolean withTensor) {
        PickleWriter w = p2();
        for (int i = 0; i < depth; i++) {
            w.emptyDict().str("a");
        }
        w.emptyDict();
        repeat(w, 's', depth);
        if (withTensor) {
            w.str("w");
            TorchPickles.tensor(w, Tensor.contiguous("w", "FloatStorage", "0", 4));
            w.setItem();
        }
        return w.stop().bytes();
    }

    /** d0 = {"w": tensor}; d(i+1) = {"a": d(i), "b": d(i)}: 2^n names if a reader walked every path. */
    private static byte[] sharedDicts(int levels) {
        PickleWriter w = p2().emptyDict().str("w");
        TorchPickles.tensor(w, Tensor.contiguous("w", "FloatStorage", "0", 4));
        w.setItem().op('q').u8(0);
        for (int i = 1; i <= levels; i++) {
            w.emptyDict().str("a").op('h').u8(i - 1).setItem().str("b").op('h').u8(i - 1).setItem().op('q').u8(i);
        }
        w.str("w2");
        TorchPickles.tensor(w, Tensor.contiguous("w", "FloatStorage", "0", 4));
        return w.setItem().stop().bytes();
    }

    /** A list of {@code n} empty dicts, appended in batches of 1000 as Python's pickler writes them. */
    private static byte[] listBomb(int n) {
        PickleWriter w = p2().op(']');
        for (int i = 0; i < n; i += 1000) {
            repeat(w.mark(), '}', 1000).op('e');
        }
        return w.stop().bytes();
    }

    /** A list of {@code n} one-entry dicts: each costs a map and its table. */
    private static byte[] dictBomb(int n) {
        PickleWriter w = p2().op(']');
        for (int i = 0; i < n; i += 1000) {
            w.mark();
            for (int j = 0; j < 1000; j++) {
                w.emptyDict().integer(1).none().setItem();
            }
            w.op('e');
        }
        return w.stop().bytes();
    }

    /** {@code n} storages of distinct keys, each named once and dropped. */
    private static byte[] storageBomb(int n) {
        PickleWriter w = p2().global("torch", "FloatStorage").op('q').u8(0).str("storage").op('q').u8(1).str("cpu")
                .op('q').u8(2).op('0').op('0').op('0');
        for (int i = 0; i < n; i++) {
            w.mark().op('h').u8(1).op('h').u8(0).str(Integer.toString(i)).op('h').u8(2).integer(1).tuple().op('Q').op('0');
        }
        return w.none().stop().bytes();
    }

    /** One value stored under {@code n} memo indices scattered over the 32-bit range. */
    private static byte[] memoBomb(int n) {
        PickleWriter w = p2().none();
        for (long i = 1; i <= n; i++) {
            w.op('r').le(i * 40_000L, 4);
        }
        return w.stop().bytes();
    }

    private static byte[] twoPathsOneName() {
        PickleWriter w = p2().emptyDict().str("a").emptyDict().str("b");
        TorchPickles.tensor(w, Tensor.contiguous("", "FloatStorage", "0", 4));
        w.setItem().setItem().str("a.b");
        TorchPickles.tensor(w, Tensor.contiguous("", "FloatStorage", "0", 4));
        return w.setItem().stop().bytes();
    }

    private static byte[] legacyFile(long declared, long stored) {
        LinkedHashMap<String, byte[]> storages = new LinkedHashMap<>();
        storages.put("0", floats(new float[(int) declared]));
        byte[] main = TorchPickles.stateDict(List.of(Tensor.contiguous("w", "FloatStorage", "0", declared)), true);
        return CheckpointFiles.legacy(main, storages, Map.of("0", stored));
    }
}

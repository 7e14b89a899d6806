package io.stipple.format.ckpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.format.ckpt.PyValue.PyBigInt;
import io.stipple.format.ckpt.PyValue.PyBool;
import io.stipple.format.ckpt.PyValue.PyBytes;
import io.stipple.format.ckpt.PyValue.PyDict;
import io.stipple.format.ckpt.PyValue.PyFloat;
import io.stipple.format.ckpt.PyValue.PyInt;
import io.stipple.format.ckpt.PyValue.PyList;
import io.stipple.format.ckpt.PyValue.PyNone;
import io.stipple.format.ckpt.PyValue.PyOpaque;
import io.stipple.format.ckpt.PyValue.PyString;
import io.stipple.format.ckpt.PyValue.PyTensor;
import io.stipple.format.ckpt.PyValue.PyTuple;
import io.stipple.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Opcode by opcode: what the interpreter builds, and that it builds only data. */
class UnpicklerTest {

    static PyValue unpickle(byte[] pickle) {
        return new Unpickler(new PickleInput(MemorySegment.ofArray(pickle), 0), CkptLimits.DEFAULT,
                new PickleBudget(CkptLimits.DEFAULT.maxPickleHeapBytes()), new StorageTable(false, new PickleBudget(1L << 30))).load();
    }

    private static PyValue unpickle(PickleWriter w) {
        return unpickle(w.stop().bytes());
    }

    private static PickleWriter p2() {
        return new PickleWriter().proto(2);
    }

    @Test
    void integers() {
        assertEquals(new PyInt(-5), unpickle(p2().op('J').le(-5, 4)));
        assertEquals(new PyInt(200), unpickle(p2().op('K').u8(200)));
        assertEquals(new PyInt(65535), unpickle(p2().op('M').le(65535, 2)));
        assertEquals(new PyInt(0), unpickle(p2().op(0x8a).u8(0)));
        assertEquals(new PyInt(-2), unpickle(p2().op(0x8a).u8(1).u8(0xfe)));
        assertEquals(new PyInt(Long.MIN_VALUE), unpickle(p2().op(0x8a).u8(8).le(Long.MIN_VALUE, 8)));
        assertEquals(new PyInt(1L << 40), unpickle(p2().op(0x8b).le(6, 4).le(1L << 40, 6)));
        PyValue big = unpickle(p2().op(0x8a).u8(9).le(0, 8).u8(1));
        assertEquals(new PyBigInt(BigInteger.ONE.shiftLeft(64)), big);
    }

    @Test
    void floatsAreBigEndianDoubles() {
        byte[] d = ByteBuffer.allocate(8).putDouble(-1.25e-3).array();
        assertEquals(new PyFloat(-1.25e-3), unpickle(p2().op('G').raw(d)));
    }

    @Test
    void stringsAndBytes() {
        assertEquals(new PyString("héllo"), unpickle(p2().str("héllo")));
        assertEquals(new PyString("ab"), unpickle(p2().shortStr("ab")));
        assertEquals(new PyString("xyz"), unpickle(p2().op(0x8d).le(3, 8).raw("xyz".getBytes())));
        assertEquals(new PyString("storage"), unpickle(p2().op('U').u8(7).raw("storage".getBytes())));
        assertEquals(new PyString("py2"), unpickle(p2().op('T').le(3, 4).raw("py2".getBytes())));
        assertArrayEquals(new byte[] {1, 2}, ((PyBytes) unpickle(p2().op('C').u8(2).u8(1).u8(2))).value());
        assertArrayEquals(new byte[] {3}, ((PyBytes) unpickle(p2().op('B').le(1, 4).u8(3))).value());
        assertArrayEquals(new byte[] {4}, ((PyBytes) unpickle(p2().op(0x8e).le(1, 8).u8(4))).value());
        // Python 3 bytes at protocol 2: _codecs.encode('\xff\x00', 'latin1')
        PyValue encoded = unpickle(p2().global("_codecs", "encode").str("\u00ff\u0000").str("latin1").op(0x86).reduce());
        assertArrayEquals(new byte[] {(byte) 0xff, 0}, ((PyBytes) encoded).value());
        PyValue bytearray = unpickle(p2().global("__builtin__", "bytearray").op('C').u8(1).u8(9).op(0x85).reduce());
        assertArrayEquals(new byte[] {9}, ((PyBytes) bytearray).value());
    }

    @Test
    void constantsAndTuples() {
        assertSame(PyNone.NONE, unpickle(p2().none()));
        assertEquals(new PyBool(true), unpickle(p2().bool(true)));
        assertEquals(new PyBool(false), unpickle(p2().bool(false)));
        assertEquals(0, ((PyTuple) unpickle(p2().emptyTuple())).size());
        assertEquals(1, ((PyTuple) unpickle(p2().integer(1).op(0x85))).size());
        assertEquals(2, ((PyTuple) unpickle(p2().integer(1).integer(2).op(0x86))).size());
        PyTuple three = (PyTuple) unpickle(p2().integer(1).integer(2).integer(3).op(0x87));
        assertEquals(List.of(new PyInt(1), new PyInt(2), new PyInt(3)), three.items());
        assertEquals(4, ((PyTuple) unpickle(p2().ints(1, 2, 3, 4))).size());
    }

    @Test
    void listsDictsAndSets() {
        PyList list = (PyList) unpickle(p2().op(']').integer(1).op('a').mark().integer(2).integer(3).op('e'));
        assertEquals(List.of(new PyInt(1), new PyInt(2), new PyInt(3)), list.items());
        PyList protocol0List = (PyList) unpickle(p2().mark().integer(7).op('l'));
        assertEquals(List.of(new PyInt(7)), protocol0List.items());
        PyDict dict = (PyDict) unpickle(p2().emptyDict().str("a").integer(1).setItem().mark().str("b").integer(2).setItems());
        assertEquals(new PyInt(1), dict.get("a"));
        assertEquals(new PyInt(2), dict.get("b"));
        PyDict protocol0Dict = (PyDict) unpickle(p2().mark().str("k").none().op('d'));
        assertSame(PyNone.NONE, protocol0Dict.get("k"));
        assertEquals("set", unpickle(p2().op(0x8f).mark().integer(1).op(0x90)).typeName());
        assertEquals("frozenset", unpickle(p2().mark().integer(1).op(0x91)).typeName());
    }

    @Test
    void stackOpcodes() {
        assertEquals(new PyInt(1), unpickle(p2().integer(1).integer(2).op('0')));
        assertEquals(new PyInt(1), unpickle(p2().integer(1).mark().integer(2).integer(3).op('1')));
        PyTuple dup = (PyTuple) unpickle(p2().op(']').op('2').op(0x86));
        assertSame(dup.get(0), dup.get(1));
    }

    @Test
    void memoSharesOneObject() {
        PyTuple t = (PyTuple) unpickle(p2().op(']').op('q').u8(0).op('h').u8(0).op(0x86));
        assertSame(t.get(0), t.get(1));
        PyTuple l = (PyTuple) unpickle(p2().op(']').op('r').le(70000, 4).op('j').le(70000, 4).op(0x86));
        assertSame(l.get(0), l.get(1));
        PyTuple m = (PyTuple) unpickle(new PickleWriter().proto(4).op(0x95).le(6, 8).op(']').op(0x94).op('h').u8(0).op(0x86));
        assertSame(m.get(0), m.get(1));
    }

    @Test
    void protocolFourGlobalsComeFromTheStack() {
        PyValue d = unpickle(new PickleWriter().proto(4).stackGlobal("collections", "OrderedDict").emptyTuple().reduce());
        assertInstanceOf(PyDict.class, d);
    }

    @Test
    void orderedDictsCountersAndTheirBuildState() {
        PyDict pairs = (PyDict) unpickle(p2().global("collections", "OrderedDict")
                .op(']').mark().str("a").integer(1).op(0x86).op('e').op(0x85).reduce());
        assertEquals(new PyInt(1), pairs.get("a"));
        PyDict counter = (PyDict) unpickle(p2().global("collections", "Counter")
                .emptyDict().str("x").integer(3).setItem().op(0x85).reduce());
        assertEquals(new PyInt(3), counter.get("x"));
        PyDict built = (PyDict) unpickle(p2().global("collections", "OrderedDict").emptyTuple().op(0x81)
                .emptyDict().str("_metadata").emptyDict().setItem().op('b'));
        assertTrue(built.items().isEmpty(), "BUILD sets attributes, not items");
    }

    @Test
    void torchSizeDeviceSetAndComplexAreData() {
        PyTuple size = (PyTuple) unpickle(p2().global("torch", "Size").ints(2, 3).op(0x85).reduce());
        assertEquals(List.of(new PyInt(2), new PyInt(3)), size.items());
        assertInstanceOf(PyOpaque.class, unpickle(p2().global("torch", "device").str("cuda").integer(0).op(0x86).reduce()));
        assertEquals("set", unpickle(p2().global("builtins", "set").op(']').op(0x85).reduce()).typeName());
        assertEquals("complex", unpickle(p2().global("builtins", "complex").integer(1).integer(2).op(0x86).reduce()).typeName());
        assertEquals("torch.layout", unpickle(p2().global("torch.serialization", "_get_layout").str("torch.strided")
                .op(0x85).reduce()).typeName());
    }

    private static PickleWriter storage(PickleWriter w, String type, String key, long numel) {
        return w.mark().str("storage").global(type.contains(".") ? type.substring(0, type.lastIndexOf('.')) : "torch",
                type.substring(type.lastIndexOf('.') + 1)).str(key).str("cpu").integer(numel).tuple().op('Q');
    }

    @Test
    void rebuildTensorV2DescribesATensor() {
        PickleWriter w = p2().global("torch._utils", "_rebuild_tensor_v2").mark();
        storage(w, "HalfStorage", "0", 12).integer(2).ints(2, 5).ints(5, 1).bool(false)
                .global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce();
        TensorRef t = ((PyTensor) unpickle(w)).ref();
        assertEquals(DType.F16, t.dtype());
        assertEquals(2, t.offset());
        assertArrayEquals(new long[] {2, 5}, t.size());
        assertArrayEquals(new long[] {5, 1}, t.stride());
        assertEquals(new StorageRef("0", DType.F16, "torch.HalfStorage", 12, 0, 12), t.storage());
    }

    @Test
    void rebuildTensorV3TakesItsDtypeFromTheCall() {
        PickleWriter w = p2().global("torch._utils", "_rebuild_tensor_v3").mark();
        storage(w, "torch.storage.UntypedStorage", "0", 8).integer(0).ints(8).ints(1).bool(false)
                .global("collections", "OrderedDict").emptyTuple().reduce().global("torch", "float8_e4m3fn").tuple().reduce();
        TensorRef t = ((PyTensor) unpickle(w)).ref();
        assertEquals(DType.F8_E4M3, t.dtype());
        assertEquals(DType.U8, t.storage().dtype());
    }

    @Test
    void parametersAndTensorsWithStateAreTheirData() {
        PickleWriter inner = p2();
        // torch 2.x: _rebuild_from_type_v2(_rebuild_tensor_v2, torch.Tensor, (args...), {'note': 'x'})
        inner.global("torch._tensor", "_rebuild_from_type_v2").mark().global("torch._utils", "_rebuild_tensor_v2")
                .global("torch", "Tensor").mark();
        storage(inner, "FloatStorage", "0", 4).integer(0).ints(4).ints(1).bool(false)
                .global("collections", "OrderedDict").emptyTuple().reduce().tuple()
                .emptyDict().str("note").str("x").setItem().tuple().reduce();
        TensorRef fromType = ((PyTensor) unpickle(inner)).ref();
        assertArrayEquals(new long[] {4}, fromType.size());

        PickleWriter param = p2().global("torch._utils", "_rebuild_parameter_with_state").mark();
        param.global("torch._utils", "_rebuild_tensor_v2").mark();
        storage(param, "FloatStorage", "1", 2).integer(0).ints(2).ints(1).bool(false)
                .global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce();
        param.bool(true).global("collections", "OrderedDict").emptyTuple().reduce().emptyDict().tuple().reduce();
        assertEquals("1", ((PyTensor) unpickle(param)).ref().storage().key());

        PickleWriter newobj = p2().global("torch.nn.parameter", "Parameter").global("torch._utils", "_rebuild_tensor_v2").mark();
        storage(newobj, "FloatStorage", "2", 2).integer(0).ints(2).ints(1).bool(false)
                .global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce().bool(true).op(0x86).op(0x81)
                .emptyDict().op('b');
        assertEquals("2", ((PyTensor) unpickle(newobj)).ref().storage().key());
    }

    @Test
    void theMemoIsChargedToTheBudget() {
        PickleWriter w = p2().none();
        for (int i = 0; i < 200_000; i++) {
            w.op('r').le(i, 4);
        }
        byte[] pickle = w.stop().bytes();
        assertSame(PyNone.NONE, unpickle(pickle));
        PickleBudget small = new PickleBudget(1 << 20);
        FormatProblem e = assertThrows(FormatProblem.class, () -> new Unpickler(new PickleInput(MemorySegment.ofArray(pickle), 0),
                CkptLimits.DEFAULT, small, new StorageTable(false, new PickleBudget(1L << 30))).load());
        assertTrue(e.getMessage().startsWith("pickle builds more than 1 MiB of objects"), e.getMessage());
        PyValue far = unpickle(p2().none().op('r').le(0xfffffff0L, 4).op('j').le(0xfffffff0L, 4).op(0x86).stop().bytes());
        assertEquals(2, ((PyTuple) far).size(), "a far index is kept without a huge array");
    }

    @Test
    void oneStorageKeyIsOneStorage() {
        PickleWriter w = p2();
        storage(w, "FloatStorage", "0", 4);
        storage(w, "FloatStorage", "0", 4);
        w.op(0x86);
        PyTuple t = (PyTuple) unpickle(w);
        assertEquals(t.get(0), t.get(1));
        PickleWriter clash = p2();
        storage(clash, "FloatStorage", "0", 4);
        storage(clash, "HalfStorage", "0", 4);
        FormatProblem e = assertThrows(FormatProblem.class, () -> unpickle(clash.op(0x86)));
        assertTrue(e.getMessage().contains("storage 0 named as 4 torch.FloatStorage and as 4 torch.HalfStorage"), e.getMessage());
    }
}

package io.stipple.tensor.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stipple.tensor.DType;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.UnaryOp;
import io.stipple.tensor.contract.TwinInputs.Kind;
import io.stipple.tensor.contract.TwinInputs.Twin;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Part of {@link OpsContractTest}: creation, stored types, casts, arithmetic, unary functions, reductions. */
abstract class ElementwiseContract extends ContractBase {

    ElementwiseContract(OpsContractTest owner) {
        super(owner);
    }

    // ---- creation, reading stored types, casting ---------------------------------------------

    @ParameterizedTest
    @EnumSource(DType.class)
    void readsEveryStoredType(DType dtype) {
        // random bit patterns (for BOOL, 0 and 1), NaNs and infinities among them; most of the 256 fp8 codes
        byte[] bytes = new byte[dtype.byteSize() * 301];
        in.random().nextBytes(bytes);
        if (dtype == DType.BOOL) {
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] &= 1;
            }
        }
        Twin t = in.bytes(MemorySegment.ofArray(bytes), dtype, Shape.of(7, 43));
        in.assertExact(dtype + " read", ops.toF32(t.actual()), reference.toF32(t.expected()));
        assertArrayEquals(bytes, ops.toBytes(t.actual()).toArray(ValueLayout.JAVA_BYTE), dtype + " bytes back");
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F64", "F32", "F16", "BF16"})
    void castRoundsAsTheReference(DType dtype) {
        // random float32 bit patterns (every magnitude from subnormal to the largest, no NaN), a third of
        // them exact ties for float16 (low 13 bits 0x1000) and a third for bfloat16 (low 16 bits 0x8000)
        float[] v = new float[3000];
        for (int i = 0; i < v.length; i++) {
            int bits = in.random().nextInt();
            bits = switch (i % 3) {
                case 0 -> (bits & ~0x1fff) | 0x1000;
                case 1 -> (bits & ~0xffff) | 0x8000;
                default -> bits;
            };
            v[i] = Float.isNaN(Float.intBitsToFloat(bits)) ? i : Float.intBitsToFloat(bits);
        }
        Twin t = in.twin(v, DType.F32, Shape.of(60, 50));
        Tensor actual = ops.cast(t.actual(), dtype);
        Tensor expected = reference.cast(t.expected(), dtype);
        assertEquals(dtype, actual.dtype());
        assertArrayEquals(reference.toBytes(expected).toArray(ValueLayout.JAVA_BYTE),
                ops.toBytes(actual).toArray(ValueLayout.JAVA_BYTE), "bytes of the cast to " + dtype);
        in.assertExact("cast to " + dtype + " read back", ops.toF32(actual), reference.toF32(expected));
    }

    @ParameterizedTest
    @MethodSource("storedAs")
    void creation(DType dtype) {
        Shape s = Shape.of(3, 0, 2);
        in.assertExact("zeros", ops.zeros(Shape.of(4, 5)), reference.zeros(Shape.of(4, 5)));
        in.assertExact("zeros of an empty shape", ops.zeros(s), reference.zeros(s));
        in.assertExact("full", ops.full(Shape.of(2, 3), -1.25f), reference.full(Shape.of(2, 3), -1.25f));
        Twin t = in.normal(dtype, 1, 6, 7);
        in.assertExact("toF32", ops.toF32(t.actual()), reference.toF32(t.expected()));
    }

    // ---- elementwise -----------------------------------------------------------------------

    static Stream<Arguments> broadcastCases() {
        int[][][] pairs = {
            {{3, 4}, {3, 4}}, {{2, 3, 4}, {4}}, {{2, 1, 4}, {3, 1}}, {{1}, {5, 2}}, {{}, {2, 3}},
            {{2, 3, 1, 5}, {3, 4, 1}}, {{0, 3}, {3}}, {{4, 1}, {1}}, {{1, 6}, {5, 6}},
        };
        List<Object[]> cases = new ArrayList<>();
        for (String op : new String[] {"add", "sub", "mul", "div"}) {
            for (int[][] p : pairs) {
                cases.add(new Object[] {op, p[0], p[1]});
            }
        }
        return withDtypes(cases.toArray(Object[][]::new));
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("broadcastCases")
    void binaryWithBroadcasting(String op, int[] a, int[] b, DType dtype) {
        Twin x = in.normal(dtype, 2, a);
        Twin y = in.draw(dtype, op.equals("div") ? Kind.AWAY_FROM_ZERO : Kind.NORMAL, 2, 0, b);
        BinaryOperator<Tensor> actual = switch (op) {
            case "add" -> ops::add;
            case "sub" -> ops::sub;
            case "mul" -> ops::mul;
            default -> ops::div;
        };
        BinaryOperator<Tensor> expected = switch (op) {
            case "add" -> reference::add;
            case "sub" -> reference::sub;
            case "mul" -> reference::mul;
            default -> reference::div;
        };
        in.assertClose(op, tolerance(dtype), actual.apply(x.actual(), y.actual()), expected.apply(x.expected(), y.expected()));
        // and the other way round, broadcasting the first operand
        Twin z = in.draw(dtype, Kind.AWAY_FROM_ZERO, 2, 0, a);
        in.assertClose(op + " swapped", tolerance(dtype), actual.apply(y.actual(), z.actual()),
                expected.apply(y.expected(), z.expected()));
    }

    @ParameterizedTest
    @MethodSource("storedAs")
    void scalarOperations(DType dtype) {
        Twin a = in.normal(dtype, 3, 3, 5, 7);
        Twin b = in.normal(dtype, 3, 3, 5, 7);
        double tol = tolerance(dtype);
        in.assertClose("scale", tol, ops.scale(a.actual(), -0.37f), reference.scale(a.expected(), -0.37f));
        in.assertClose("addScalar", tol, ops.addScalar(a.actual(), 2.5f), reference.addScalar(a.expected(), 2.5f));
        in.assertClose("divScalar", tol, ops.divScalar(a.actual(), -0.37f), reference.divScalar(a.expected(), -0.37f));
        in.assertClose("addScaled", tol, ops.addScaled(a.actual(), b.actual(), 0.731f),
                reference.addScaled(a.expected(), b.expected(), 0.731f));
        in.assertClose("clamp", tol, ops.clamp(a.actual(), -1.5f, 2f), reference.clamp(a.expected(), -1.5f, 2f));
    }

    static Stream<Arguments> unaryCases() {
        return withDtypes(Stream.of(UnaryOp.values()).map(op -> new Object[] {op}).toArray(Object[][]::new));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("unaryCases")
    void unary(UnaryOp op, DType dtype) {
        boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT;
        Twin a = in.draw(dtype, positive ? Kind.POSITIVE : Kind.NORMAL, 3, 0, 4, 33);
        in.assertClose(op.name(), tolerance(dtype), ops.unary(a.actual(), op), reference.unary(a.expected(), op));
    }

    @ParameterizedTest
    @MethodSource("storedAs")
    void reductions(DType dtype) {
        Twin a = in.draw(dtype, Kind.NORMAL, 2, 0.5, 11, 13, 3);
        double absSum = 0;
        for (float v : reference.toArray(a.expected())) {
            absSum += Math.abs(v);
        }
        assertEquals(reference.sum(a.expected()), ops.sum(a.actual()), tolerance(dtype) * absSum, "sum");
        assertEquals(reference.maxAbs(a.expected()), ops.maxAbs(a.actual()), 0, "maxAbs");
    }
}

package io.stipple.tensor.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.stipple.tensor.DType;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * Creation, reading stored dtypes, casting and writing bytes. The float16/bfloat16 codes come from
 * torch 1.13 ({@code torch.tensor([...]).half().view(torch.int16)}); torch 1.13 has no fp8, so those
 * codes are from the OCP 8-bit floating point specification (E4M3: bias 7, no infinities, only
 * S.1111.111 is NaN; E5M2: IEEE-like, bias 15).
 */
public abstract class TransferKnownValues extends OpsTestBase {

    @Test
    void nameIsSet() {
        assertFalse(ops().name().isBlank());
    }

    @Test
    void zerosAndFull() {
        assertExactValues("zeros", ops().zeros(Shape.of(2, 3)), dims(2, 3), 0, 0, 0, 0, 0, 0);
        assertExactValues("full", ops().full(Shape.of(2, 1), 1.5f), dims(2, 1), 1.5, 1.5);
        assertExactValues("full rank 0", ops().full(Shape.of(), -4f), dims(), -4);
        assertEquals(DType.F32, ops().zeros(Shape.of(1)).dtype());
    }

    @Test
    void emptyTensors() {
        assertExactValues("zeros [0, 3]", ops().zeros(Shape.of(0, 3)), dims(0, 3));
        assertExactValues("full [2, 0]", ops().full(Shape.of(2, 0), 7f), dims(2, 0));
        assertExactValues("fromArray [0]", ops().fromArray(new float[0], Shape.of(0)), dims(0));
    }

    @Test
    void fromArrayCopiesAndToArrayReturnsACopy() {
        float[] data = {1, 2, 3};
        Tensor t = ops().fromArray(data, Shape.of(3));
        data[0] = 99;
        ops().toArray(t)[1] = 99;
        assertExactValues("after writing to both arrays", t, dims(3), 1, 2, 3);
    }

    @Test
    void fromArrayRefusesAWrongLength() {
        assertRefused(() -> ops().fromArray(new float[5], Shape.of(2, 3)), "5", Shape.of(2, 3));
    }

    @Test
    void readsFloat16() {
        Tensor t = stored(DType.F16, dims(3, 3), 0x3c00, 0xc000, 0x7bff, 0x0001, 0x0400, 0x7c00, 0xfc00, 0x8000, 0x7e00);
        assertEquals(DType.F16, t.dtype());
        // 1, -2, the largest (65504), the smallest subnormal 2^-24, the smallest normal 2^-14, ±inf, -0, NaN
        assertExactValues("F16", t, dims(3, 3), 1, -2, 65504, 0x1p-24, 0x1p-14,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.NaN);
    }

    @Test
    void readsBFloat16() {
        Tensor t = stored(DType.BF16, dims(7), 0x3f80, 0xc0a0, 0x7f7f, 0x0001, 0x0080, 0xff80, 0x3dcd);
        // 1, -5, the largest (≈3.3895e38), the smallest subnormal 2^-133, the smallest normal 2^-126, -inf, 0.1's neighbour
        assertExactValues("BF16", t, dims(7), 1, -5, 0x1.fep127, 0x1p-133, 0x1p-126, Double.NEGATIVE_INFINITY, 0.10009765625);
    }

    @Test
    void readsFloat64RoundingToFloat32() {
        Tensor t = stored(DType.F64, dims(3), Double.doubleToLongBits(1.0 / 3), Double.doubleToLongBits(-2.5),
                Double.doubleToLongBits(1e300));
        assertExactValues("F64", t, dims(3), 1.0f / 3, -2.5, Double.POSITIVE_INFINITY);
    }

    @Test
    void readsFp8E4M3() {
        Tensor t = stored(DType.F8_E4M3, dims(11), 0x38, 0x7e, 0x01, 0x07, 0x08, 0xb8, 0x80, 0x7f, 0xff, 0x78, 0x77);
        // 1, 448 (the largest), 2^-9 and 7·2^-9 (subnormals), 2^-6, -1, -0, NaN, NaN, 256, 240
        assertExactValues("F8_E4M3", t, dims(11), 1, 448, 0x1p-9, 7 * 0x1p-9, 0x1p-6, -1, -0.0, Double.NaN, Double.NaN,
                256, 240);
    }

    @Test
    void readsFp8E5M2() {
        Tensor t = stored(DType.F8_E5M2, dims(9), 0x3c, 0x7b, 0x7c, 0xfc, 0x01, 0x04, 0x7d, 0x80, 0xc0);
        // 1, 57344 (the largest), ±inf, 2^-16 (smallest subnormal), 2^-14, NaN, -0, -2
        assertExactValues("F8_E5M2", t, dims(9), 1, 57344, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                0x1p-16, 0x1p-14, Double.NaN, -0.0, -2);
    }

    @Test
    void readsIntegersAndBool() {
        // 2^53 + 1 rounds to 2^53 in float32, like torch's .float()
        assertExactValues("I64", stored(DType.I64, dims(3), -3, 1L << 40, (1L << 53) + 1), dims(3), -3, 0x1p40, 0x1p53);
        assertExactValues("I32", stored(DType.I32, dims(3), -7, 123456, Integer.MIN_VALUE), dims(3), -7, 123456, -0x1p31);
        assertExactValues("I16", stored(DType.I16, dims(2), -32768, 32767), dims(2), -32768, 32767);
        assertExactValues("I8", stored(DType.I8, dims(2), -128, 127), dims(2), -128, 127);
        assertExactValues("U8", stored(DType.U8, dims(3), 255, 0, 128), dims(3), 255, 0, 128);
        assertExactValues("BOOL", stored(DType.BOOL, dims(2), 0, 1), dims(2), 0, 1);
    }

    @Test
    void fromBytesRefusesAWrongSize() {
        MemorySegment tenBytes = MemorySegment.ofArray(new byte[10]);
        assertRefused(() -> ops().fromBytes(tenBytes, DType.F16, Shape.of(2, 3)), "F16", Shape.of(2, 3), "12", "10");
    }

    @Test
    void toBytesOfAFloat32ResultIsLittleEndian() {
        // -2.5f is 0xc0200000
        byte[] bytes = ops().toBytes(tensor(dims(2), 1, -2.5)).toArray(ValueLayout.JAVA_BYTE);
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3f, 0, 0, 0x20, (byte) 0xc0}, bytes);
    }

    @Test
    void toBytesOfAStoredTensorGivesItsBytes() {
        MemorySegment in = littleEndian(DType.BF16, 0x3f80, 0xc0a0, 0x0001);
        byte[] out = ops().toBytes(ops().fromBytes(in, DType.BF16, Shape.of(3))).toArray(ValueLayout.JAVA_BYTE);
        assertArrayEquals(in.toArray(ValueLayout.JAVA_BYTE), out);
    }

    @Test
    void castToFloat16RoundsToNearestEven() {
        Tensor t = tensor(dims(12), 1 + 0x1p-11, 1 + 3 * 0x1p-11, 65504, 65519.99, 65520, 0x1p-25, 3 * 0x1p-25, -0.0, 1e-10,
                Double.POSITIVE_INFINITY, -1e6, 0.1);
        Tensor h = ops().cast(t, DType.F16);
        assertEquals(DType.F16, h.dtype());
        assertEquals(t.shape(), h.shape());
        // torch 1.13: ties go to the even code (1.0, 1+2^-9, 0, 2^-23); 65520 and beyond overflow to inf
        assertArrayEquals(littleEndian(DType.F16, 0x3c00, 0x3c02, 0x7bff, 0x7bff, 0x7c00, 0x0000, 0x0002, 0x8000, 0x0000,
                0x7c00, 0xfc00, 0x2e66).toArray(ValueLayout.JAVA_BYTE), ops().toBytes(h).toArray(ValueLayout.JAVA_BYTE));
        assertExactValues("F16 read back", ops().toF32(h), dims(12), 1, 1 + 0x1p-9, 65504, 65504, Double.POSITIVE_INFINITY,
                0, 0x1p-23, -0.0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0999755859375);
    }

    @Test
    void castToBFloat16RoundsToNearestEven() {
        Tensor t = tensor(dims(8), 1 + 0x1p-8, 1 + 3 * 0x1p-8, Float.MAX_VALUE, -0.0, 0.1, 1e-40, Double.NEGATIVE_INFINITY,
                3.0e38);
        Tensor b = ops().cast(t, DType.BF16);
        assertEquals(DType.BF16, b.dtype());
        // torch 1.13; the largest float32 rounds up to inf, the subnormal 1e-40 to the code 1
        assertArrayEquals(littleEndian(DType.BF16, 0x3f80, 0x3f82, 0x7f80, 0x8000, 0x3dcd, 0x0001, 0xff80, 0x7f62)
                .toArray(ValueLayout.JAVA_BYTE), ops().toBytes(b).toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void castToFloat64AndBack() {
        Tensor d = ops().cast(tensor(dims(2), 0.1, -3), DType.F64);
        assertEquals(DType.F64, d.dtype());
        assertArrayEquals(littleEndian(DType.F64, Double.doubleToLongBits(0.1f), Double.doubleToLongBits(-3))
                .toArray(ValueLayout.JAVA_BYTE), ops().toBytes(d).toArray(ValueLayout.JAVA_BYTE));
        assertExactValues("F64 read back", ops().toF32(d), dims(2), 0.1f, -3);
    }

    @Test
    void castOfAStoredTensor() {
        Tensor h = stored(DType.F16, dims(2), 0x3c01, 0xc000);
        assertArrayEquals(littleEndian(DType.F16, 0x3c01, 0xc000).toArray(ValueLayout.JAVA_BYTE),
                ops().toBytes(ops().cast(h, DType.F16)).toArray(ValueLayout.JAVA_BYTE));
        // 1 + 2^-10 is below half a bfloat16 ulp (2^-8) above 1.0
        assertArrayEquals(littleEndian(DType.BF16, 0x3f80, 0xc000).toArray(ValueLayout.JAVA_BYTE),
                ops().toBytes(ops().cast(h, DType.BF16)).toArray(ValueLayout.JAVA_BYTE));
        Tensor f = ops().cast(h, DType.F32);
        assertEquals(DType.F32, f.dtype());
        assertExactValues("cast to F32", f, dims(2), 1 + 0x1p-10, -2);
    }

    @Test
    void castRefusesTypesItCannotWrite() {
        Tensor t = tensor(dims(2), 1, 2);
        for (DType d : new DType[] {DType.I64, DType.I32, DType.U8, DType.BOOL, DType.F8_E4M3, DType.F8_E5M2}) {
            assertRefused(() -> ops().cast(t, d), d);
        }
    }

    @Test
    void toF32OfStoredAndOfFloat32Tensors() {
        Tensor f = ops().toF32(stored(DType.BF16, dims(1, 2), 0x4040, 0xbf00));
        assertEquals(DType.F32, f.dtype());
        assertExactValues("toF32 of BF16", f, dims(1, 2), 3, -0.5);
        assertExactValues("toF32 of F32", ops().toF32(tensor(dims(2), 4, 5)), dims(2), 4, 5);
    }
}

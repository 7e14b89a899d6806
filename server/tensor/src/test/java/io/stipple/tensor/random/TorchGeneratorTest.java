package io.stipple.tensor.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Behaviour of {@link TorchGenerator} that does not need torch's numbers. */
class TorchGeneratorTest {
    @Test
    void sameSeedGivesSameStream() {
        TorchGenerator a = new TorchGenerator(1234);
        TorchGenerator b = new TorchGenerator(1234);
        for (int[] shape : new int[][] {{7}, {1, 4, 8, 8}, {3}, {20}, {2, 4, 16, 16}}) {
            assertArrayEquals(a.randn(shape), b.randn(shape), Arrays.toString(shape));
            assertArrayEquals(a.rand(shape), b.rand(shape), Arrays.toString(shape));
        }
    }

    @Test
    void consecutiveDrawsDiffer() {
        TorchGenerator g = new TorchGenerator(42);
        assertFalse(Arrays.equals(g.randn(1, 4, 8, 8), g.randn(1, 4, 8, 8)));
    }

    @Test
    void onlyTheLow32BitsOfTheSeedMatter() {
        float[] expected = new TorchGenerator(42).randn(33);
        assertArrayEquals(expected, new TorchGenerator((1L << 32) + 42).randn(33));
        assertArrayEquals(expected, new TorchGenerator(0x7fff_ffff_0000_002aL).randn(33));
        // -1 is torch's 2^64 - 1: low 32 bits 0xffffffff, the same as 2^32 - 1
        assertArrayEquals(new TorchGenerator(0xffff_ffffL).randn(9), new TorchGenerator(-1).randn(9));
        assertFalse(Arrays.equals(expected, new TorchGenerator(43).randn(33)));
    }

    @Test
    void initialSeedIsTheSeedGiven() {
        assertEquals(-5L, new TorchGenerator(-5).initialSeed());
        assertEquals(4294967338L, new TorchGenerator(4294967338L).initialSeed());
    }

    @Test
    void emptyShapesGiveNoValuesAndConsumeNothing() {
        TorchGenerator g = new TorchGenerator(7);
        assertEquals(0, g.randn(0).length);
        assertEquals(0, g.randn(2, 0, 5).length);
        assertEquals(0, g.rand(0, 3).length);
        assertArrayEquals(new TorchGenerator(7).randn(5), g.randn(5));
    }

    @Test
    void noDimensionsIsAScalar() {
        float[] scalar = new TorchGenerator(7).randn();
        assertEquals(1, scalar.length);
        assertArrayEquals(new TorchGenerator(7).randn(1), scalar);
        assertEquals(1, new TorchGenerator(7).rand().length);
    }

    @Test
    void randIsInTheUnitInterval() {
        for (float v : new TorchGenerator(3).rand(10_000)) {
            assertTrue(v >= 0f && v < 1f, "rand value " + v);
        }
    }

    @Test
    void randnOfALatentHasUnitVariance() {
        float[] v = new TorchGenerator(11).randn(1, 4, 128, 128);
        double sum = 0;
        double sq = 0;
        for (float x : v) {
            assertTrue(Float.isFinite(x), "randn value " + x);
            sum += x;
            sq += (double) x * x;
        }
        double mean = sum / v.length;
        assertEquals(0.0, mean, 0.02);
        assertEquals(1.0, sq / v.length - mean * mean, 0.02);
    }

    @Test
    void negativeDimensionIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new TorchGenerator(1).randn(2, -3));
        assertEquals("shape [2, -3]: dimension -3 (expected: >= 0)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TorchGenerator(1).rand(-1));
    }

    @Test
    void tooManyElementsIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new TorchGenerator(1).randn(65536, 65536));
        assertTrue(e.getMessage().startsWith("shape [65536, 65536]: too many elements"), e.getMessage());
    }

    @Test
    void nullShapeIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new TorchGenerator(1).randn((int[]) null));
        assertEquals("shape: null (expected: an array of dimensions)", e.getMessage());
    }

    @Test
    void latentSizedDrawTakesMilliseconds() {
        TorchGenerator g = new TorchGenerator(0);
        for (int i = 0; i < 20; i++) {
            g.randn(1, 4, 128, 128); // warm up the JIT
        }
        long start = System.nanoTime();
        g.randn(1, 4, 128, 128);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 200, "randn [1,4,128,128] took " + millis + " ms");
    }
}

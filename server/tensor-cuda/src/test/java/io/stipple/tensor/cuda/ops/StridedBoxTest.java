package io.stipple.tensor.cuda.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.tensor.Shape;
import org.junit.jupiter.api.Test;

/** The strided kernels' description of a box: axes of size 1 left out, the rest padded on the left. */
class StridedBoxTest {
    @Test
    void axesOfSizeOneAreLeftOutSoThatEightDimensionsFit() {
        // LoKr's Kronecker product: (4,1,4,1,1,1,1,1) · (1,8,1,8,1,3,1,3) broadcast to (4,8,4,8,1,3,1,3)
        int[] dims = {4, 8, 4, 8, 1, 3, 1, 3};
        StridedBox box = new StridedBox(dims, new int[] {4, 0, 1, 0, 0, 0, 0, 0}, new int[] {0, 192, 0, 9, 0, 3, 0, 1});
        assertArrayEquals(new int[] {4, 8, 4, 8, 3, 3, 4, 0, 1, 0, 0, 0, 0, 192, 0, 9, 3, 1}, box.meta());
    }

    @Test
    void aSmallBoxIsPaddedOnTheLeft() {
        StridedBox box = new StridedBox(new int[] {2, 3}, StridedBox.contiguous(Shape.of(2, 3)), new int[] {1, 2});
        assertArrayEquals(new int[] {1, 1, 1, 1, 2, 3, 0, 0, 0, 0, 3, 1, 0, 0, 0, 0, 1, 2}, box.meta());
    }

    @Test
    void moreThanSixAxesLargerThanOneAreRefused() {
        int[] dims = {2, 2, 2, 2, 2, 2, 2};
        var e = assertThrows(IllegalArgumentException.class, () -> new StridedBox(dims, dims, dims).meta());
        assertTrue(e.getMessage().contains("over 7 dimensions larger than 1 (expected: at most 6)"), e.getMessage());
    }
}

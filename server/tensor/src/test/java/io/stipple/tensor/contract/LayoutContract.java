package io.stipple.tensor.contract;

import io.stipple.tensor.DType;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.contract.TwinInputs.Twin;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Part of {@link OpsContractTest}: the element moves, which must match the reference bit for bit. */
abstract class LayoutContract extends ContractBase {

    LayoutContract(OpsContractTest owner) {
        super(owner);
    }

    @ParameterizedTest
    @MethodSource("storedAs")
    void concat(DType dtype) {
        for (int axis = -1; axis < 3; axis++) {
            Shape base = Shape.of(2, 3, 4);
            Twin a = in.normal(dtype, 1, base.with(axis, 1).dims());
            Twin b = in.normal(dtype, 1, base.with(axis, 0).dims());
            Twin c = in.normal(dtype, 1, base.with(axis, 5).dims());
            in.assertExact("concat along " + axis, ops.concat(axis, a.actual(), b.actual(), c.actual()),
                    reference.concat(axis, a.expected(), b.expected(), c.expected()));
        }
    }

    @ParameterizedTest
    @MethodSource("storedAs")
    void narrow(DType dtype) {
        Twin t = in.normal(dtype, 1, 3, 5, 7);
        for (int axis = 0; axis < 3; axis++) {
            int size = t.shape().dim(axis);
            for (int[] range : new int[][] {{0, size}, {1, size - 2}, {size - 1, 1}, {2, 0}}) {
                in.assertExact("narrow(" + axis + ", " + range[0] + ", " + range[1] + ")",
                        ops.narrow(t.actual(), axis, range[0], range[1]), reference.narrow(t.expected(), axis, range[0], range[1]));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("storedAs")
    void permute(DType dtype) {
        Twin t3 = in.normal(dtype, 1, 2, 3, 5);
        int[][] orders = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}, {-1, -3, -2}};
        for (int[] o : orders) {
            in.assertExact("permute " + Arrays.toString(o), ops.permute(t3.actual(), o), reference.permute(t3.expected(), o));
        }
        // the attention head split: (b, n, heads, d) to (b, heads, n, d)
        Twin t4 = in.normal(dtype, 1, 2, 7, 3, 4);
        in.assertExact("permute (0, 2, 1, 3)", ops.permute(t4.actual(), 0, 2, 1, 3), reference.permute(t4.expected(), 0, 2, 1, 3));
    }

    @ParameterizedTest
    @MethodSource("storedAs")
    void pad2d(DType dtype) {
        Twin t = in.normal(dtype, 1, 2, 3, 5, 4);
        int[][] pads = {{1, 1, 1, 1}, {0, 1, 0, 1}, {2, 0, 3, 0}, {0, 0, 0, 0}};
        for (int[] p : pads) {
            in.assertExact("pad2d " + Arrays.toString(p), ops.pad2d(t.actual(), p[0], p[1], p[2], p[3]),
                    reference.pad2d(t.expected(), p[0], p[1], p[2], p[3]));
        }
        Twin r3 = in.normal(dtype, 1, 3, 1, 6);
        in.assertExact("pad2d of rank 3", ops.pad2d(r3.actual(), 1, 2, 3, 4), reference.pad2d(r3.expected(), 1, 2, 3, 4));
    }

    @ParameterizedTest
    @MethodSource("storedAs")
    void embedding(DType dtype) {
        Twin table = in.normal(dtype, 1, 50, 12);
        int[] ids = new int[77];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = in.random().nextInt(50);
        }
        ids[0] = 0;
        ids[1] = 49;
        in.assertExact("embedding", ops.embedding(table.actual(), ids), reference.embedding(table.expected(), ids));
    }

    @ParameterizedTest
    @MethodSource("storedAs")
    void upsampleNearest2x(DType dtype) {
        for (int[] dims : new int[][] {{2, 3, 4, 5}, {3, 1, 7}, {1, 1, 1, 1}}) {
            Twin t = in.normal(dtype, 1, dims);
            Tensor actual = ops.upsampleNearest2x(t.actual());
            in.assertExact("upsample " + t.shape(), actual, reference.upsampleNearest2x(t.expected()));
        }
    }

    @ParameterizedTest
    @MethodSource("storedAs")
    void upsampleNearestToAnySize(DType dtype) {
        int[][] cases = {{2, 3, 5, 4, 9, 7}, {1, 2, 3, 3, 5, 8}, {1, 1, 6, 6, 4, 3}, {1, 1, 2, 2, 4, 4}};
        for (int[] c : cases) {
            Twin t = in.normal(dtype, 2, c[0], c[1], c[2], c[3]);
            Tensor actual = ops.upsampleNearest(t.actual(), c[4], c[5]);
            in.assertExact("resize " + t.shape() + " to " + c[4] + "x" + c[5], actual, reference.upsampleNearest(t.expected(), c[4], c[5]));
        }
    }
}

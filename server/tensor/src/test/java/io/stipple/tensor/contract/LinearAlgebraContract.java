package io.stipple.tensor.contract;

import io.stipple.tensor.DType;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.contract.TwinInputs.Twin;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Part of {@link OpsContractTest}: matmul, linear and conv2d. */
abstract class LinearAlgebraContract extends ContractBase {

    LinearAlgebraContract(OpsContractTest owner) {
        super(owner);
    }

    static Stream<Arguments> matmulCases() {
        // {leading dims..., m, k, n}
        return withDtypes(new Object[] {new int[] {1, 1, 1}}, new Object[] {new int[] {3, 5, 7}},
                new Object[] {new int[] {2, 17, 33, 9}}, new Object[] {new int[] {64, 48, 40}},
                new Object[] {new int[] {2, 3, 5, 70, 3}}, new Object[] {new int[] {0, 4, 3}}, new Object[] {new int[] {2, 0, 3}});
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("matmulCases")
    void matmul(int[] dims, DType dtype) {
        int r = dims.length;
        int[] a = Arrays.copyOf(dims, r - 1); // (..., m, k)
        int[] b = Arrays.copyOf(dims, r - 1);
        b[r - 3] = dims[r - 2];               // (..., k, n)
        b[r - 2] = dims[r - 1];
        Twin x = in.normal(dtype, 1, a);
        Twin y = in.normal(dtype, 1, b);
        in.assertClose("matmul " + x.shape() + "·" + y.shape(), tolerance(dtype), ops.matmul(x.actual(), y.actual()),
                reference.matmul(x.expected(), y.expected()));
    }

    static Stream<Arguments> linearCases() {
        // {x dims...}, out, with bias
        return withDtypes(new Object[] {new int[] {5, 24}, 16, true}, new Object[] {new int[] {2, 7, 33}, 10, false},
                new Object[] {new int[] {33}, 3, true}, new Object[] {new int[] {1, 77, 32}, 128, true},
                new Object[] {new int[] {0, 8}, 4, true});
    }

    @ParameterizedTest(name = "{0} to {1}, bias {2}, {3}")
    @MethodSource("linearCases")
    void linear(int[] xDims, int out, boolean bias, DType dtype) {
        Twin x = in.normal(dtype, 1, xDims);
        Twin w = in.normal(dtype, 1 / Math.sqrt(xDims[xDims.length - 1]), out, xDims[xDims.length - 1]);
        Twin b = bias ? in.normal(dtype, 0.5, out) : new Twin(null, null);
        in.assertClose("linear " + x.shape() + " by " + w.shape(), tolerance(dtype), ops.linear(x.actual(), w.actual(), b.actual()),
                reference.linear(x.expected(), w.expected(), b.expected()));
    }

    /** A convolution: input (n, cin, h, w), weight (cout, cin, kh, kw), stride, padding, with a bias. */
    record Conv(int n, int cin, int h, int w, int cout, int kh, int kw, int stride, int pad, boolean bias) {
        @Override
        public String toString() {
            return "x(" + n + "," + cin + "," + h + "," + w + ") w(" + cout + "," + cin + "," + kh + "," + kw + ") s" + stride
                    + " p" + pad + (bias ? " bias" : "");
        }
    }

    static Stream<Arguments> convCases() {
        return withDtypes(
                new Object[] {new Conv(2, 5, 6, 7, 4, 1, 1, 1, 0, true)},   // 1×1: one GEMM on the input as it lies
                new Object[] {new Conv(1, 3, 7, 5, 2, 1, 1, 2, 0, false)},  // 1×1 at stride 2: the general path
                new Object[] {new Conv(2, 3, 9, 7, 4, 3, 3, 1, 1, true)},   // the UNet's 3×3
                new Object[] {new Conv(1, 4, 9, 11, 3, 3, 3, 2, 1, false)}, // downsampling an odd size
                new Object[] {new Conv(1, 2, 8, 8, 2, 3, 3, 2, 0, true)},   // the VAE's downsampling (after its pad)
                new Object[] {new Conv(1, 2, 6, 6, 3, 4, 4, 2, 1, false)},
                new Object[] {new Conv(1, 2, 5, 6, 2, 1, 3, 1, 1, true)},   // a rectangular kernel
                new Object[] {new Conv(1, 2, 3, 3, 4, 3, 3, 1, 0, true)},   // the kernel covers the input: 1×1 output
                new Object[] {new Conv(1, 32, 6, 6, 16, 3, 3, 1, 1, true)}); // many channels
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("convCases")
    void conv2d(Conv c, DType dtype) {
        Twin x = in.normal(dtype, 1, c.n(), c.cin(), c.h(), c.w());
        Twin w = in.normal(dtype, 1 / Math.sqrt(c.cin() * c.kh() * c.kw()), c.cout(), c.cin(), c.kh(), c.kw());
        Twin b = c.bias() ? in.normal(dtype, 0.5, c.cout()) : new Twin(null, null);
        Tensor actual = ops.conv2d(x.actual(), w.actual(), b.actual(), c.stride(), c.pad());
        in.assertClose("conv2d " + c, tolerance(dtype), actual,
                reference.conv2d(x.expected(), w.expected(), b.expected(), c.stride(), c.pad()));
    }

    @ParameterizedTest
    @MethodSource("storedAs")
    void conv2dOfFloat32InputsWithAStoredWeight(DType dtype) {
        // the usual case: activations in float32, weights as the checkpoint stores them
        Twin x = in.normal(DType.F32, 1, 1, 4, 7, 6);
        Twin w = in.normal(dtype, 0.2, 3, 4, 3, 3);
        in.assertClose("conv2d, weight " + dtype, tolerance(dtype), ops.conv2d(x.actual(), w.actual(), null, 1, 1),
                reference.conv2d(x.expected(), w.expected(), null, 1, 1));
    }
}

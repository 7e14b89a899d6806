package io.stipple.tensor.cuda.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.tensor.DType;
import io.stipple.tensor.Shape;
import io.stipple.tensor.cpu.CpuOps;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kernels that move data: nearest resize, the strided copy behind permute, narrow, concat and
 * pad2d, embedding, prompt weighting and the tiled blend; and the device refusing a freed buffer.
 */
abstract class LayoutKernelsContract extends KernelTestSupport {
    @ParameterizedTest(name = "nearest resize of 5x7 to {0}")
    @ValueSource(strings = {"10x14", "13x3", "5x7", "2x2"})
    void resizeNearestPicksTorchsSourcePixels(String size) {
        int oh = Integer.parseInt(size.split("x")[0]);
        int ow = Integer.parseInt(size.split("x")[1]);
        int planes = 3;
        float[] x = random(planes * 5 * 7, 1);
        DeviceBuffer in = upload(x);
        DeviceBuffer out = device.allocate(planes * oh * ow * 4L);
        device.launch(Kernel.RESIZE_NEAREST, Dim3.of(2), Dim3.of(64), KernelArg.of(in), KernelArg.of(out), KernelArg.of((long) planes),
                KernelArg.of(5), KernelArg.of(7), KernelArg.of(oh), KernelArg.of(ow));
        var cpu = new io.stipple.tensor.cpu.CpuOps();
        float[] expected = cpu.upsampleNearest(cpu.fromArray(x, io.stipple.tensor.Shape.of(planes, 5, 7)), oh, ow).toArray();
        assertArrayEquals(expected, download(out, planes * oh * ow), "the CPU backend's pixels");
        device.free(in);
        device.free(out);
    }


    @Test
    void aFreedBufferIsRefused() {
        DeviceBuffer b = device.allocate(64);
        device.free(b);
        var e = assertThrows(IllegalStateException.class, () -> device.free(b));
        assertTrue(e.getMessage().contains("freed twice?"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> device.copyToHost(b, MemorySegment.ofArray(new float[4])));
        assertArrayEquals(new float[0], new float[0]);
    }

    // ---- broadcasting binary, scalar and unary elementwise -------------------------------------


    /** dims padded on the left with 1s to Kernel.MAX_RANK (strides with 0s). */
    private static int[] padded(int[] v, int fill) {
        int[] p = new int[Kernel.MAX_RANK];
        java.util.Arrays.fill(p, fill);
        System.arraycopy(v, 0, p, Kernel.MAX_RANK - v.length, v.length);
        return p;
    }


    private static int[] contiguous(int[] dims) {
        int[] strides = new int[dims.length];
        int stride = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            strides[i] = stride;
            stride *= dims[i];
        }
        return strides;
    }


    /** One STRIDED_COPY launch over the box {@code dims}; 3 blocks of 64 so that the loop strides. */
    private void stridedCopy(DeviceBuffer in, DeviceBuffer out, int[] dims, int[] inStrides, int[] outStrides, long inOffset, long outOffset) {
        int[] meta = new int[3 * Kernel.MAX_RANK];
        System.arraycopy(padded(dims, 1), 0, meta, 0, Kernel.MAX_RANK);
        System.arraycopy(padded(inStrides, 0), 0, meta, Kernel.MAX_RANK, Kernel.MAX_RANK);
        System.arraycopy(padded(outStrides, 0), 0, meta, 2 * Kernel.MAX_RANK, Kernel.MAX_RANK);
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        device.launch(Kernel.STRIDED_COPY, Dim3.of(3), Dim3.of(64), KernelArg.of(in), KernelArg.of(out), new KernelArg.Ints(meta), KernelArg.of(inOffset),
                KernelArg.of(outOffset), KernelArg.of(n));
    }


    @ParameterizedTest(name = "permute {0} by {1}")
    @CsvSource({"2x3x5x7, 0 2 3 1", "2x3x5x7, 3 1 0 2", "4x77, 1 0", "2x1x3x2x4x5, 5 4 3 2 1 0"})
    void permuteIsTheCpus(String dims, String order) {
        Shape s = shape(dims);
        int[] axes = java.util.Arrays.stream(order.split(" ")).mapToInt(Integer::parseInt).toArray();
        float[] x = random((int) s.size(), 1);
        int[] src = contiguous(s.dims());
        int[] outDims = new int[axes.length];
        int[] inStrides = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            outDims[i] = s.dim(axes[i]);
            inStrides[i] = src[axes[i]];
        }
        DeviceBuffer in = upload(x);
        DeviceBuffer out = device.allocate(x.length * 4L);
        stridedCopy(in, out, outDims, inStrides, contiguous(outDims), 0, 0);
        assertBits("permute", cpu.permute(cpu.fromArray(x, s), axes).toArray(), download(out, x.length));
        free(in, out);
    }


    @ParameterizedTest(name = "narrow {0} along {1} from {2}, {3} long")
    @CsvSource({"4x9x6, 1, 2, 5", "4x9x6, 0, 3, 1", "4x9x6, 2, 0, 6", "300, 0, 17, 260"})
    void narrowIsTheCpus(String dims, int axis, int start, int length) {
        Shape s = shape(dims);
        float[] x = random((int) s.size(), 1);
        int[] src = contiguous(s.dims());
        int[] outDims = s.with(axis, length).dims();
        DeviceBuffer in = upload(x);
        int n = (int) s.with(axis, length).size();
        DeviceBuffer out = device.allocate(n * 4L);
        stridedCopy(in, out, outDims, src, contiguous(outDims), (long) start * src[axis], 0);
        assertBits("narrow", cpu.narrow(cpu.fromArray(x, s), axis, start, length).toArray(), download(out, n));
        free(in, out);
    }


    @ParameterizedTest(name = "concat along {0}")
    @ValueSource(ints = {0, 1, 2})
    void concatIsOneCopyPerPart(int axis) {
        int[][] partDims = {{2, 3, 4}, {2, 3, 4}, {2, 3, 4}};
        int[] sizes = {3, 5, 1};
        Shape[] shapes = new Shape[3];
        var tensors = new io.stipple.tensor.Tensor[3];
        float[][] data = new float[3][];
        int total = 0;
        for (int p = 0; p < 3; p++) {
            partDims[p][axis] = sizes[p];
            shapes[p] = Shape.of(partDims[p]);
            data[p] = random((int) shapes[p].size(), 1);
            tensors[p] = cpu.fromArray(data[p], shapes[p]);
            total += sizes[p];
        }
        int[] outDims = shapes[0].with(axis, total).dims();
        int[] outStrides = contiguous(outDims);
        int n = (int) Shape.of(outDims).size();
        DeviceBuffer out = device.allocate(n * 4L);
        int at = 0;
        for (int p = 0; p < 3; p++) {
            DeviceBuffer in = upload(data[p]);
            stridedCopy(in, out, partDims[p], contiguous(partDims[p]), outStrides, 0, (long) at * outStrides[axis]);
            at += sizes[p];
            free(in);
        }
        assertBits("concat", cpu.concat(axis, tensors).toArray(), download(out, n));
        free(out);
    }


    @ParameterizedTest(name = "pad2d left {0} right {1} top {2} bottom {3}")
    @CsvSource({"1, 1, 1, 1", "0, 3, 2, 0", "0, 0, 0, 0"})
    void pad2dIsAFillAndACopyIntoTheInterior(int left, int right, int top, int bottom) {
        int planes = 6;
        int h = 5;
        int w = 7;
        int oh = h + top + bottom;
        int ow = w + left + right;
        float[] x = random(planes * h * w, 1);
        DeviceBuffer in = upload(x);
        int n = planes * oh * ow;
        DeviceBuffer out = device.allocate(n * 4L);
        device.launch(Kernel.FILL_F32, Dim3.of(2), Dim3.of(32), KernelArg.of(out), KernelArg.of(0f), KernelArg.of((long) n));
        stridedCopy(in, out, new int[] {planes, h, w}, contiguous(new int[] {planes, h, w}), new int[] {oh * ow, ow, 1}, 0, (long) top * ow + left);
        assertBits("pad2d", cpu.pad2d(cpu.fromArray(x, Shape.of(2, 3, h, w)), left, right, top, bottom).toArray(), download(out, n));
        free(in, out);
    }


    @ParameterizedTest(name = "embedding of a {0} table")
    @EnumSource(value = DType.class, names = {"F32", "BF16", "F16"})
    void embeddingGathersRowsAsTheCpu(DType dtype) {
        int vocab = 50;
        int dim = 77;
        int[] ids = {vocab - 1, 0, 7, 49, 7, 13, 0};
        float[] table = random(vocab * dim, 1);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocate((long) vocab * dim * dtype.byteSize());
            for (int i = 0; i < table.length; i++) {
                switch (dtype) {
                    case BF16 -> bytes.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, bf16(table[i]));
                    case F16 -> bytes.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, Float.floatToFloat16(table[i]));
                    default -> bytes.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, table[i]);
                }
            }
            DeviceBuffer dt = device.allocate(bytes.byteSize());
            device.copyToDevice(bytes, dt);
            DeviceBuffer di = upload(ids);
            DeviceBuffer out = device.allocate((long) ids.length * dim * 4);
            Kernel k = switch (dtype) {
                case BF16 -> Kernel.EMBEDDING_BF16;
                case F16 -> Kernel.EMBEDDING_F16;
                default -> Kernel.EMBEDDING_F32;
            };
            device.launch(k, Dim3.of(2), Dim3.of(96), KernelArg.of(dt), KernelArg.of(di), KernelArg.of(out), KernelArg.of(ids.length),
                    KernelArg.of(dim));
            float[] expected = cpu.embedding(cpu.fromBytes(bytes, dtype, Shape.of(vocab, dim)), ids).toArray();
            assertBits("embedding " + dtype, expected, download(out, ids.length * dim));
            free(dt, di, out);
        }
    }

    // ---- steps ---------------------------------------------------------------------------------


    @Test
    void weightTokensIsTheCpusBitForBit() {
        int n = 2;
        int tokens = 77;
        int width = 33;
        float[] z = random(n * tokens * width, 1);
        float[] empty = random(tokens * width, 1);
        float[] weights = new float[n * tokens];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = i % 3 == 0 ? 1f : 0.5f + random.nextFloat(); // some rows copied unchanged
        }
        weights[1] = 1.1f;
        DeviceBuffer dz = upload(z);
        DeviceBuffer de = upload(empty);
        DeviceBuffer dw = upload(weights);
        DeviceBuffer out = device.allocate(z.length * 4L);
        device.launch(Kernel.WEIGHT_TOKENS, Dim3.of(4), Dim3.of(256), KernelArg.of(dz), KernelArg.of(de), KernelArg.of(dw), KernelArg.of(out),
                KernelArg.of(n * tokens), KernelArg.of(tokens), KernelArg.of(width));
        float[] expected = cpu.weightTokens(cpu.fromArray(z, Shape.of(n, tokens, width)), cpu.fromArray(empty, Shape.of(1, tokens, width)), weights)
                .toArray();
        assertBits("weightTokens", expected, download(out, z.length));
        free(dz, de, dw, out);
    }


    @ParameterizedTest(name = "blend tiles, feather {0}")
    @ValueSource(ints = {1, 4, 9})
    void blendTilesIsTheCpusBitForBit(int feather) {
        int channels = 3;
        int height = 20;
        int width = 27;
        int[][] tiles = {{12, 16, 0, 0}, {12, 16, 0, 11}, {12, 16, 8, 0}, {12, 16, 8, 11}, {5, 5, 7, 9}}; // th, tw, top, left
        java.util.List<io.stipple.tensor.Tensor> cpuTiles = new java.util.ArrayList<>();
        int[] tops = new int[tiles.length];
        int[] lefts = new int[tiles.length];
        int plane = height * width;
        DeviceBuffer sum = device.allocate((long) channels * plane * 4);
        DeviceBuffer weight = device.allocate(plane * 4L);
        device.launch(Kernel.FILL_F32, Dim3.of(4), Dim3.of(256), KernelArg.of(sum), KernelArg.of(0f), KernelArg.of((long) channels * plane));
        device.launch(Kernel.FILL_F32, Dim3.of(4), Dim3.of(256), KernelArg.of(weight), KernelArg.of(0f), KernelArg.of((long) plane));
        for (int i = 0; i < tiles.length; i++) {
            int th = tiles[i][0];
            int tw = tiles[i][1];
            tops[i] = tiles[i][2];
            lefts[i] = tiles[i][3];
            float[] t = random(channels * th * tw, 1);
            cpuTiles.add(cpu.fromArray(t, Shape.of(1, channels, th, tw)));
            DeviceBuffer dt = upload(t);
            device.launch(Kernel.BLEND_TILE_ACCUMULATE, Dim3.of(2), Dim3.of(64), KernelArg.of(dt), KernelArg.of(sum), KernelArg.of(weight),
                    KernelArg.of(channels), KernelArg.of(th), KernelArg.of(tw), KernelArg.of(tops[i]), KernelArg.of(lefts[i]), KernelArg.of(feather),
                    KernelArg.of(height), KernelArg.of(width));
            free(dt);
        }
        device.launch(Kernel.BLEND_TILES_DIVIDE, Dim3.of(3), Dim3.of(128), KernelArg.of(sum), KernelArg.of(weight), KernelArg.of(channels),
                KernelArg.of((long) plane));
        float[] expected = cpu.blendTiles(cpuTiles, tops, lefts, height, width, feather).toArray();
        assertBits("blendTiles", expected, download(sum, channels * plane));
        free(sum, weight);
    }
}

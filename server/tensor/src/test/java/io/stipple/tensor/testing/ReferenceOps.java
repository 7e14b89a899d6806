package io.stipple.tensor.testing;

import io.stipple.tensor.CountedStorage;
import io.stipple.tensor.DType;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.StorageEvents;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.UnaryOp;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * The backend every other one is compared with: each operation written from its definition (torch's
 * semantics) as plain loops in double precision over one output element at a time, with no
 * blocking, no threads and no BLAS. Results are rounded to float32 once, at the end. It is slow on
 * purpose; use it on small tensors. Storage is the tensor's little-endian bytes in its dtype.
 */
public final class ReferenceOps implements Ops {

    private static final class ReferenceStorage extends CountedStorage {
        private final ReferenceOps ops;
        private final long byteSize;
        private byte[] bytes;

        ReferenceStorage(ReferenceOps ops, byte[] bytes) {
            super(StorageEvents.NONE);
            this.ops = ops;
            this.bytes = bytes;
            this.byteSize = bytes.length;
        }

        @Override
        public ReferenceOps ops() {
            return ops;
        }

        byte[] bytes() {
            checkLive();
            return bytes;
        }

        @Override
        public long byteSize() {
            return byteSize;
        }

        @Override
        protected void free() {
            // heap bytes belong to the garbage collector; dropping them makes a late read fail
            bytes = null;
        }
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public DType computeDType() {
        return DType.F32;
    }

    // ---- storage ----------------------------------------------------------------------------

    private byte[] bytes(Tensor t) {
        if (!(t.storage() instanceof ReferenceStorage s) || s.ops() != this) {
            throw new IllegalArgumentException(t + " does not belong to this backend");
        }
        return s.bytes();
    }

    /** The elements of {@code t} as float32 values, whatever its dtype. */
    private float[] values(Tensor t) {
        return ReferenceCodec.read(bytes(t), t.dtype(), t.shape().size());
    }

    private static float[] valuesOrNull(ReferenceOps ops, Tensor t) {
        return t == null ? null : ops.values(t);
    }

    private Tensor tensor(byte[] bytes, DType dtype, Shape shape) {
        return new Tensor(shape, dtype, new ReferenceStorage(this, bytes));
    }

    /** A float32 result: each double rounded to the nearest float. */
    private Tensor result(double[] values, Shape shape) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return result(f, shape);
    }

    private Tensor result(float[] values, Shape shape) {
        return tensor(ReferenceCodec.write(values, DType.F32), DType.F32, shape);
    }

    // ---- creation and transfer --------------------------------------------------------------

    @Override
    public Tensor zeros(Shape shape) {
        return result(new float[shape.size()], shape);
    }

    @Override
    public Tensor full(Shape shape, float value) {
        float[] v = new float[shape.size()];
        Arrays.fill(v, value);
        return result(v, shape);
    }

    @Override
    public Tensor fromArray(float[] data, Shape shape) {
        if (data.length != shape.numel()) {
            throw new IllegalArgumentException("fromArray: " + data.length + " values for shape " + shape
                    + " (expected: " + shape.numel() + ")");
        }
        return result(data.clone(), shape);
    }

    @Override
    public Tensor fromBytes(MemorySegment bytes, DType dtype, Shape shape) {
        long expected = shape.numel() * dtype.byteSize();
        if (bytes.byteSize() != expected) {
            throw new IllegalArgumentException("fromBytes: " + dtype + " " + shape + " needs " + expected + " bytes, got "
                    + bytes.byteSize());
        }
        return tensor(bytes.toArray(ValueLayout.JAVA_BYTE), dtype, shape);
    }

    @Override
    public float[] toArray(Tensor t) {
        return values(t);
    }

    @Override
    public Tensor toF32(Tensor t) {
        return result(values(t), t.shape());
    }

    @Override
    public Tensor cast(Tensor t, DType dtype) {
        return tensor(ReferenceCodec.write(values(t), dtype), dtype, t.shape());
    }

    @Override
    public MemorySegment toBytes(Tensor t) {
        return MemorySegment.ofArray(bytes(t).clone());
    }

    // ---- elementwise ------------------------------------------------------------------------

    /** numpy's rule: align the shapes on the right; each pair of sizes must be equal or one of them 1. */
    static Shape broadcast(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dim(i - (rank - a.rank()));
            int db = i < rank - b.rank() ? 1 : b.dim(i - (rank - b.rank()));
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + a + " and " + b + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return Shape.of(out);
    }

    /** The flat index in a tensor of shape {@code s} of the output coordinate {@code idx} it broadcasts to. */
    private static int broadcastSource(int[] idx, Shape s) {
        int offset = idx.length - s.rank();
        int flat = 0;
        for (int d = 0; d < s.rank(); d++) {
            flat = flat * s.dim(d) + (s.dim(d) == 1 ? 0 : idx[offset + d]);
        }
        return flat;
    }

    private Tensor binary(Tensor a, Tensor b, DoubleBinaryOperator f) {
        Shape out = broadcast(a.shape(), b.shape());
        float[] x = values(a);
        float[] y = values(b);
        int[] dims = out.dims();
        double[] r = new double[out.size()];
        for (int i = 0; i < r.length; i++) {
            int[] idx = Index.unravel(i, dims);
            r[i] = f.applyAsDouble(x[broadcastSource(idx, a.shape())], y[broadcastSource(idx, b.shape())]);
        }
        return result(r, out);
    }

    @Override
    public Tensor add(Tensor a, Tensor b) {
        return binary(a, b, Double::sum);
    }

    @Override
    public Tensor sub(Tensor a, Tensor b) {
        return binary(a, b, (x, y) -> x - y);
    }

    @Override
    public Tensor mul(Tensor a, Tensor b) {
        return binary(a, b, (x, y) -> x * y);
    }

    @Override
    public Tensor div(Tensor a, Tensor b) {
        return binary(a, b, (x, y) -> x / y);
    }

    @Override
    public Tensor scale(Tensor a, float s) {
        return map(a, x -> x * s);
    }

    @Override
    public Tensor addScalar(Tensor a, float s) {
        return map(a, x -> x + s);
    }

    @Override
    public Tensor divScalar(Tensor a, float s) {
        return map(a, x -> x / s);
    }

    @Override
    public Tensor addScaled(Tensor a, Tensor b, float s) {
        if (!a.shape().equals(b.shape())) {
            throw new IllegalArgumentException("addScaled: shapes " + a.shape() + " and " + b.shape() + " differ");
        }
        float[] x = values(a);
        float[] y = values(b);
        double[] r = new double[x.length];
        for (int i = 0; i < r.length; i++) {
            // torch rounds the product to float32 before the sum
            r[i] = x[i] + (double) (float) ((double) y[i] * s);
        }
        return result(r, a.shape());
    }

    @Override
    public Tensor unary(Tensor a, UnaryOp op) {
        return map(a, x -> ReferenceMath.apply(op, x));
    }

    @Override
    public Tensor clamp(Tensor a, float min, float max) {
        // torch.clamp: min(max(x, lo), hi), so hi wins when lo > hi; NaN stays NaN
        return map(a, x -> Double.isNaN(x) ? x : Math.min(Math.max(x, min), max));
    }

    private Tensor map(Tensor a, DoubleUnaryOperator f) {
        float[] x = values(a);
        double[] r = new double[x.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = f.applyAsDouble(x[i]);
        }
        return result(r, a.shape());
    }

    @Override
    public double sum(Tensor a) {
        double s = 0;
        for (float v : values(a)) {
            s += v;
        }
        return s;
    }

    @Override
    public double maxAbs(Tensor a) {
        double m = 0;
        for (float v : values(a)) {
            if (Float.isNaN(v)) {
                return Double.NaN;
            }
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    // ---- shape: see ReferenceLayout ---------------------------------------------------------

    @Override
    public Tensor concat(int axis, Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concat of no tensors (expected: at least one)");
        }
        float[][] data = new float[parts.length][];
        Shape[] shapes = new Shape[parts.length];
        for (int i = 0; i < parts.length; i++) {
            data[i] = values(parts[i]);
            shapes[i] = parts[i].shape();
        }
        Shape out = ReferenceLayout.concatShape(axis, shapes);
        return result(ReferenceLayout.concat(shapes[0].normalize(axis), data, shapes, out), out);
    }

    @Override
    public Tensor narrow(Tensor a, int axis, int start, int length) {
        Shape out = ReferenceLayout.narrowShape(a.shape(), axis, start, length);
        return result(ReferenceLayout.narrow(values(a), a.shape(), a.shape().normalize(axis), start, out), out);
    }

    @Override
    public Tensor permute(Tensor a, int... order) {
        int[] axes = ReferenceLayout.checkPermutation(a.shape(), order);
        int[] dims = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            dims[i] = a.dim(axes[i]);
        }
        Shape out = Shape.of(dims);
        return result(ReferenceLayout.permute(values(a), a.shape(), axes, out), out);
    }

    @Override
    public Tensor pad2d(Tensor a, int left, int right, int top, int bottom) {
        Shape s = a.shape();
        if (s.rank() < 2 || left < 0 || right < 0 || top < 0 || bottom < 0) {
            throw new IllegalArgumentException("pad2d of " + s + " by (left " + left + ", right " + right + ", top " + top
                    + ", bottom " + bottom + ") (expected: rank at least 2, padding not negative)");
        }
        Shape out = s.with(-2, s.dim(-2) + top + bottom).with(-1, s.dim(-1) + left + right);
        return result(ReferenceLayout.pad2d(values(a), s, out, left, top), out);
    }

    @Override
    public Tensor embedding(Tensor table, int[] ids) {
        if (table.rank() != 2) {
            throw new IllegalArgumentException("embedding table " + table.shape() + " (expected: (vocab, dim))");
        }
        int vocab = table.dim(0);
        int dim = table.dim(1);
        float[] t = values(table);
        float[] r = new float[ids.length * dim];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocab) {
                throw new IllegalArgumentException("token id " + ids[i] + " outside the vocabulary of " + vocab);
            }
            for (int j = 0; j < dim; j++) {
                r[i * dim + j] = t[ids[i] * dim + j];
            }
        }
        return result(r, Shape.of(ids.length, dim));
    }

    @Override
    public Tensor upsampleNearest(Tensor x, int height, int width) {
        Shape s = x.shape();
        if (s.rank() < 2 || height < 0 || width < 0) {
            throw new IllegalArgumentException("upsampleNearest of " + s + " to " + height + "x" + width
                    + " (expected: rank at least 2 and a size of at least 0)");
        }
        Shape out = s.with(-2, height).with(-1, width);
        return result(ReferenceLayout.upsample(values(x), s, out), out);
    }

    // ---- linear algebra, normalisation, attention: see ReferenceChecks and ReferenceKernels -

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        ReferenceChecks.matmul(a.shape(), b.shape());
        Shape sa = a.shape();
        int m = sa.dim(-2);
        int k = sa.dim(-1);
        int n = b.dim(-1);
        int batch = (int) sa.product(0, sa.rank() - 2);
        return result(ReferenceKernels.matmul(values(a), values(b), batch, m, k, n), sa.with(-1, n));
    }

    @Override
    public Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        ReferenceChecks.linear(x.shape(), weight.shape(), bias == null ? null : bias.shape());
        int in = weight.dim(1);
        int out = weight.dim(0);
        int rows = (int) x.shape().product(0, x.rank() - 1);
        return result(ReferenceKernels.linear(values(x), values(weight), valuesOrNull(this, bias), rows, in, out),
                x.shape().with(-1, out));
    }

    @Override
    public Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        Shape out = ReferenceChecks.conv2d(x.shape(), weight.shape(), bias == null ? null : bias.shape(), stride, padding);
        Shape s = x.shape();
        Shape w = weight.shape();
        return result(ReferenceKernels.conv2d(values(x), s.dim(0), s.dim(1), s.dim(2), s.dim(3), values(weight),
                w.dim(0), w.dim(2), w.dim(3), valuesOrNull(this, bias), stride, padding, out.dim(2), out.dim(3)), out);
    }

    @Override
    public Tensor groupNorm(Tensor x, int groups, Tensor gamma, Tensor beta, float eps) {
        Shape s = x.shape();
        ReferenceChecks.groupNorm(s, groups, gamma == null ? null : gamma.shape(), beta == null ? null : beta.shape());
        int spatial = (int) s.product(2, s.rank());
        return result(ReferenceKernels.groupNorm(values(x), s.dim(0), s.dim(1), spatial, groups,
                valuesOrNull(this, gamma), valuesOrNull(this, beta), eps), s);
    }

    @Override
    public Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps) {
        ReferenceChecks.layerNorm(x.shape(), gamma == null ? null : gamma.shape(), beta == null ? null : beta.shape());
        return result(ReferenceKernels.layerNorm(values(x), x.dim(-1), valuesOrNull(this, gamma), valuesOrNull(this, beta),
                eps), x.shape());
    }

    @Override
    public Tensor softmax(Tensor x) {
        ReferenceChecks.lastDimension("softmax", x.shape());
        return result(ReferenceKernels.softmax(values(x), x.dim(-1)), x.shape());
    }

    @Override
    public Tensor geglu(Tensor x) {
        ReferenceChecks.lastDimension("geglu", x.shape());
        int width = x.dim(-1);
        if (width % 2 != 0) {
            throw new IllegalArgumentException("geglu of " + x.shape() + " (expected: an even last dimension)");
        }
        int half = width / 2;
        float[] v = values(x);
        int rows = (int) x.shape().product(0, x.rank() - 1);
        double[] r = new double[rows * half];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < half; j++) {
                r[i * half + j] = v[i * width + j] * ReferenceMath.gelu(v[i * width + half + j]);
            }
        }
        return result(r, x.shape().with(-1, half));
    }

    @Override
    public Tensor attention(Tensor q, Tensor k, Tensor v, int heads, boolean causal) {
        ReferenceChecks.attention(q.shape(), k.shape(), v.shape(), heads);
        int width = q.dim(2);
        return result(ReferenceKernels.attention(values(q), values(k), values(v), q.dim(0), q.dim(1), k.dim(1), heads,
                width / heads, causal), q.shape());
    }

    // ---- steps of the models and samplers ----------------------------------------------------

    @Override
    public Tensor timestepEmbedding(float[] values, int dim) {
        // torch's float32 arithmetic is the definition here: freqs, products and results are float32 tensors
        int half = dim / 2;
        float[] out = new float[values.length * dim];
        for (int b = 0; b < values.length; b++) {
            for (int i = 0; i < half; i++) {
                float freq = (float) Math.exp((float) -Math.log(10000.0) * i / half);
                float arg = values[b] * freq;
                out[b * dim + i] = (float) Math.cos(arg);
                out[b * dim + half + i] = (float) Math.sin(arg);
            }
        }
        return result(out, Shape.of(values.length, dim));
    }

    @Override
    public Tensor weightTokens(Tensor z, Tensor empty, float[] weights) {
        Shape s = z.shape();
        if (s.rank() != 3 || !empty.shape().equals(s.with(0, 1)) || weights.length != s.dim(0) * s.dim(1)) {
            throw new IllegalArgumentException("weightTokens of " + s + " toward " + empty.shape() + " with " + weights.length + " weights");
        }
        float[] zv = values(z);
        float[] ev = values(empty);
        int tokens = s.dim(1);
        int width = s.dim(2);
        float[] out = new float[zv.length];
        for (int i = 0; i < out.length; i++) {
            int row = i / width;
            float w = weights[row];
            float ze = ev[(row % tokens) * width + i % width];
            out[i] = w == 1f ? zv[i] : (zv[i] - ze) * w + ze;
        }
        return result(out, s);
    }

    @Override
    public double scaledErrorNorm(Tensor low, Tensor high, Tensor previous, float atol, float rtol) {
        if (!low.shape().equals(high.shape()) || !low.shape().equals(previous.shape())) {
            throw new IllegalArgumentException("scaledErrorNorm of " + low.shape() + ", " + high.shape() + ", " + previous.shape());
        }
        float[] lo = values(low);
        float[] hi = values(high);
        float[] prev = values(previous);
        double sumSquares = 0;
        for (int i = 0; i < lo.length; i++) {
            float delta = Math.max(atol, rtol * Math.max(Math.abs(lo[i]), Math.abs(prev[i])));
            float scaled = (lo[i] - hi[i]) / delta;
            sumSquares += (double) scaled * scaled;
        }
        return (float) Math.sqrt(sumSquares) / (float) Math.sqrt(lo.length);
    }

    @Override
    public Tensor blendTiles(java.util.List<Tensor> tiles, int[] tops, int[] lefts, int height, int width, int feather) {
        int channels = tiles.getFirst().dim(1);
        float[] out = new float[channels * height * width];
        // one output element at a time: the covering tiles' values times their masks, over the masks' sum
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    float sum = 0;
                    float weight = 0;
                    for (int t = 0; t < tiles.size(); t++) {
                        Shape s = tiles.get(t).shape();
                        int ty = y - tops[t];
                        int tx = x - lefts[t];
                        if (ty < 0 || tx < 0 || ty >= s.dim(2) || tx >= s.dim(3)) {
                            continue;
                        }
                        float m = ramp(ty, s.dim(2), feather) * ramp(tx, s.dim(3), feather);
                        sum += values(tiles.get(t))[(c * s.dim(2) + ty) * s.dim(3) + tx] * m;
                        weight += m;
                    }
                    out[(c * height + y) * width + x] = sum / weight;
                }
            }
        }
        return result(out, Shape.of(1, channels, height, width));
    }

    private static float ramp(int i, int n, int feather) {
        int fromEdge = Math.min(i, n - 1 - i);
        return fromEdge >= feather ? 1f : (fromEdge + 1f) / feather;
    }
}

package io.stipple.tensor.cpu;

import io.stipple.tensor.DType;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.StorageEvents;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.TensorScope;
import io.stipple.tensor.UnaryOp;
import io.stipple.tensor.cpu.Elementwise.Binary;
import io.stipple.tensor.cpu.gemm.Gemm;
import io.stipple.tensor.rules.Broadcast;
import io.stipple.tensor.rules.ShapeRules;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;

/**
 * The CPU backend: float32 in Java arrays, BLAS for the matrix products, parallel loops for the rest.
 * It is the reference every other backend is tested against.
 */
public final class CpuOps implements Ops {
    /**
     * Freed activation arrays kept for reuse, at most this many bytes. Within a step the layers reuse each
     * other's arrays; a larger pool only keeps more arrays alive: SD1.5 at 512² peaked about 0.7 GiB higher
     * with a pool of an eighth of the heap than with none, and with this one as low as with none.
     */
    private static final long POOL_BYTES = 128L << 20;

    private final Gemm gemm;
    private final Budgets budgets;
    private final StorageEvents events;
    private final FloatPool pool;

    public CpuOps() {
        this(Gemm.best());
    }

    public CpuOps(Gemm gemm) {
        this(gemm, Budgets.DEFAULT, StorageEvents.NONE);
    }

    /** A backend that reports its allocations, frees and scopes to {@code events} (lifetime tests). */
    public CpuOps(StorageEvents events) {
        this(Gemm.best(), Budgets.DEFAULT, events);
    }

    /** With other band sizes for convolution and attention (tests use small ones). */
    CpuOps(Gemm gemm, Budgets budgets) {
        this(gemm, budgets, StorageEvents.NONE);
    }

    private CpuOps(Gemm gemm, Budgets budgets, StorageEvents events) {
        this(gemm, budgets, events, new FloatPool(POOL_BYTES));
    }

    /** With its own buffer pool (tests give a small one, or none: capacity 0). */
    CpuOps(Gemm gemm, Budgets budgets, StorageEvents events, FloatPool pool) {
        this.gemm = gemm;
        this.budgets = budgets;
        this.events = events;
        this.pool = pool;
    }

    StorageEvents events() {
        return events;
    }

    FloatPool pool() {
        return pool;
    }

    public Gemm gemm() {
        return gemm;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public DType computeDType() {
        return DType.F32;
    }

    @Override
    public TensorScope scope() {
        return TensorScope.open(events);
    }

    // ---- storage access ---------------------------------------------------------------------

    /** The storage of {@code t}, refusing a tensor of another backend (or of another CpuOps). */
    private CpuStorage storage(Tensor t) {
        if (!(t.storage() instanceof CpuStorage s) || s.ops() != this) {
            throw new IllegalArgumentException(t + " does not belong to this backend");
        }
        return s;
    }

    /** The elements of {@code t} as float32, without copying when they already are. */
    float[] floats(Tensor t) {
        CpuStorage s = storage(t);
        if (s.isFloats()) {
            return s.floats();
        }
        float[] out = pool.take(t.shape().size());
        Conversions.toFloats(s.raw(), t.dtype(), out, 0, out.length);
        return out;
    }

    private Tensor wrap(float[] data, Shape shape) {
        if (data.length != shape.numel()) {
            throw new IllegalStateException("kernel produced " + data.length + " values for " + shape);
        }
        return new Tensor(shape, DType.F32, CpuStorage.ofFloats(this, data));
    }

    private static float[] orNull(CpuOps ops, Tensor t) {
        return t == null ? null : ops.floats(t);
    }

    // ---- creation and transfer --------------------------------------------------------------

    @Override
    public Tensor zeros(Shape shape) {
        return wrap(pool.takeZeroed(shape.size()), shape);
    }

    @Override
    public Tensor full(Shape shape, float value) {
        float[] data = pool.take(shape.size());
        Arrays.fill(data, value);
        return wrap(data, shape);
    }

    @Override
    public Tensor fromArray(float[] data, Shape shape) {
        ShapeRules.values(data.length, shape);
        float[] copy = pool.take(data.length);
        System.arraycopy(data, 0, copy, 0, data.length);
        return wrap(copy, shape);
    }

    @Override
    public Tensor fromBytes(MemorySegment bytes, DType dtype, Shape shape) {
        ShapeRules.bytes(bytes.byteSize(), dtype, shape);
        return new Tensor(shape, dtype, CpuStorage.ofRaw(this, bytes));
    }

    @Override
    public float[] toArray(Tensor t) {
        float[] f = floats(t);
        return storage(t).isFloats() ? f.clone() : f;
    }

    @Override
    public Tensor toF32(Tensor t) {
        if (t.dtype() == DType.F32 && storage(t).isFloats()) {
            return t.share();
        }
        return wrap(floats(t), t.shape());
    }

    @Override
    public Tensor cast(Tensor t, DType dtype) {
        if (dtype == DType.F32) {
            return toF32(t);
        }
        if (t.dtype() == dtype && !storage(t).isFloats()) {
            return t.share();
        }
        return new Tensor(t.shape(), dtype, CpuStorage.ofRaw(this, Conversions.fromFloats(floats(t), dtype)));
    }

    @Override
    public MemorySegment toBytes(Tensor t) {
        CpuStorage s = storage(t);
        return s.isFloats() ? Conversions.fromFloats(s.floats(), DType.F32) : s.raw();
    }

    // ---- elementwise ------------------------------------------------------------------------

    private Tensor binary(Binary op, Tensor a, Tensor b) {
        Shape out = Broadcast.shape(a.shape(), b.shape());
        return wrap(Elementwise.binary(pool, op, floats(a), a.shape(), floats(b), b.shape(), out), out);
    }

    @Override
    public Tensor add(Tensor a, Tensor b) {
        return binary(Binary.ADD, a, b);
    }

    @Override
    public Tensor sub(Tensor a, Tensor b) {
        return binary(Binary.SUB, a, b);
    }

    @Override
    public Tensor mul(Tensor a, Tensor b) {
        return binary(Binary.MUL, a, b);
    }

    @Override
    public Tensor div(Tensor a, Tensor b) {
        return binary(Binary.DIV, a, b);
    }

    @Override
    public Tensor scale(Tensor a, float s) {
        return wrap(Elementwise.binary(pool, Binary.MUL, floats(a), a.shape(), new float[] {s}, Shape.of(1), a.shape()), a.shape());
    }

    @Override
    public Tensor addScalar(Tensor a, float s) {
        return wrap(Elementwise.binary(pool, Binary.ADD, floats(a), a.shape(), new float[] {s}, Shape.of(1), a.shape()), a.shape());
    }

    @Override
    public Tensor divScalar(Tensor a, float s) {
        return wrap(Elementwise.binary(pool, Binary.DIV, floats(a), a.shape(), new float[] {s}, Shape.of(1), a.shape()), a.shape());
    }

    @Override
    public Tensor addScaled(Tensor a, Tensor b, float s) {
        ShapeRules.sameShape("addScaled", a.shape(), b.shape());
        float[] x = floats(a);
        float[] y = floats(b);
        float[] r = pool.take(x.length);
        Parallel.forRange(r.length, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                r[i] = x[i] + y[i] * s;
            }
        });
        return wrap(r, a.shape());
    }

    @Override
    public Tensor unary(Tensor a, UnaryOp op) {
        return wrap(Elementwise.unary(pool, op, floats(a)), a.shape());
    }

    @Override
    public Tensor clamp(Tensor a, float min, float max) {
        float[] x = floats(a);
        float[] r = pool.take(x.length);
        for (int i = 0; i < x.length; i++) {
            r[i] = Math.min(max, Math.max(min, x[i]));
        }
        return wrap(r, a.shape());
    }

    @Override
    public double sum(Tensor a) {
        double s = 0;
        for (float v : floats(a)) {
            s += v;
        }
        return s;
    }

    @Override
    public double maxAbs(Tensor a) {
        double m = 0;
        for (float v : floats(a)) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    // ---- shape ------------------------------------------------------------------------------

    @Override
    public Tensor concat(int axis, Tensor... parts) {
        Shape[] shapes = Arrays.stream(parts).map(Tensor::shape).toArray(Shape[]::new);
        Shape out = ShapeRules.concat(axis, shapes);
        float[][] data = new float[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            data[i] = floats(parts[i]);
        }
        return wrap(Layout.concat(pool, shapes[0].normalize(axis), data, shapes, out), out);
    }

    @Override
    public Tensor narrow(Tensor a, int axis, int start, int length) {
        Shape out = ShapeRules.narrow(a.shape(), axis, start, length);
        return wrap(Layout.narrow(pool, floats(a), a.shape(), a.shape().normalize(axis), start, length), out);
    }

    @Override
    public Tensor permute(Tensor a, int... order) {
        Shape s = a.shape();
        int[] axes = ShapeRules.permutation(s, order);
        int[] dims = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            dims[i] = s.dim(axes[i]);
        }
        return wrap(Layout.permute(pool, floats(a), s, axes), Shape.of(dims));
    }

    @Override
    public Tensor pad2d(Tensor a, int left, int right, int top, int bottom) {
        Shape s = a.shape();
        ShapeRules.pad2d(s, left, right, top, bottom);
        int h = s.dim(-2);
        int w = s.dim(-1);
        int planes = (int) s.product(0, s.rank() - 2);
        Shape out = s.with(-2, h + top + bottom).with(-1, w + left + right);
        return wrap(Layout.pad2d(pool, floats(a), planes, h, w, left, right, top, bottom), out);
    }

    @Override
    public Tensor embedding(Tensor table, int[] ids) {
        ShapeRules.embedding(table.shape(), ids);
        int dim = table.dim(1);
        float[] out = pool.take(ids.length * dim);
        CpuStorage s = storage(table);
        for (int i = 0; i < ids.length; i++) {
            if (s.isFloats()) {
                System.arraycopy(s.floats(), ids[i] * dim, out, i * dim, dim);
            } else {
                long row = (long) ids[i] * dim * table.dtype().byteSize();
                Conversions.toFloats(s.raw().asSlice(row, (long) dim * table.dtype().byteSize()), table.dtype(), out, i * dim, dim);
            }
        }
        return wrap(out, Shape.of(ids.length, dim));
    }

    // ---- linear algebra --------------------------------------------------------------------

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        Shape sa = a.shape();
        Shape sb = b.shape();
        ShapeRules.matmul(sa, sb);
        int m = sa.dim(-2);
        int k = sa.dim(-1);
        int n = sb.dim(-1);
        int batch = (int) sa.product(0, sa.rank() - 2);
        float[] x = floats(a);
        float[] y = floats(b);
        float[] r = pool.take(batch * m * n);
        for (int i = 0; i < batch; i++) {
            gemm.sgemm(false, false, m, n, k, 1f, x, i * m * k, k, y, i * k * n, n, 0f, r, i * m * n, n);
        }
        return wrap(r, sa.with(-1, n));
    }

    @Override
    public Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        ShapeRules.linear(x.shape(), weight.shape(), bias);
        int in = x.dim(-1);
        int out = weight.dim(0);
        int rows = (int) x.shape().product(0, x.rank() - 1);
        float[] r = pool.take(rows * out);
        gemm.sgemm(false, true, rows, out, in, 1f, floats(x), 0, in, floats(weight), 0, in, 0f, r, 0, out);
        if (bias != null) {
            float[] bv = floats(bias);
            Parallel.forRange(rows, out, (from, to) -> {
                for (int i = from; i < to; i++) {
                    int o = i * out;
                    for (int j = 0; j < out; j++) {
                        r[o + j] += bv[j];
                    }
                }
            });
        }
        return wrap(r, x.shape().with(-1, out));
    }

    @Override
    public Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        Shape s = x.shape();
        Shape ws = weight.shape();
        Shape out = ShapeRules.conv2d(s, ws, bias, stride, padding);
        int n = s.dim(0);
        int h = s.dim(2);
        int w = s.dim(3);
        int cout = ws.dim(0);
        int kh = ws.dim(2);
        int kw = ws.dim(3);
        float[] r = Convolution.conv2d(pool, gemm, budgets.columnFloats(), floats(x), n, s.dim(1), h, w,
                floats(weight), cout, kh, kw, orNull(this, bias), stride, padding);
        return wrap(r, out);
    }

    // ---- normalisation and activation ------------------------------------------------------

    @Override
    public Tensor groupNorm(Tensor x, int groups, Tensor gamma, Tensor beta, float eps) {
        Shape s = x.shape();
        ShapeRules.groupNorm(s, groups);
        int n = s.dim(0);
        int c = s.dim(1);
        ShapeRules.perChannel("groupNorm", "gamma", gamma, c, "input", s);
        ShapeRules.perChannel("groupNorm", "beta", beta, c, "input", s);
        int spatial = (int) s.product(2, s.rank());
        return wrap(Normalization.groupNorm(pool, floats(x), n, c, spatial, groups, orNull(this, gamma), orNull(this, beta), eps), s);
    }

    @Override
    public Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps) {
        ShapeRules.perChannel("layerNorm", "gamma", gamma, x.dim(-1), "input", x.shape());
        ShapeRules.perChannel("layerNorm", "beta", beta, x.dim(-1), "input", x.shape());
        return wrap(Normalization.layerNorm(pool, floats(x), x.dim(-1), orNull(this, gamma), orNull(this, beta), eps), x.shape());
    }

    @Override
    public Tensor softmax(Tensor x) {
        float[] in = floats(x);
        float[] r = pool.take(in.length);
        System.arraycopy(in, 0, r, 0, in.length);
        int cols = x.dim(-1);
        int rows = (int) x.shape().product(0, x.rank() - 1);
        Parallel.forRange(rows, cols, (from, to) -> Normalization.softmaxRows(r, 0, from, to, cols));
        return wrap(r, x.shape());
    }

    @Override
    public Tensor geglu(Tensor x) {
        int half = ShapeRules.geglu(x.shape()).dim(-1);
        int width = x.dim(-1);
        float[] in = floats(x);
        int rows = (int) x.shape().product(0, x.rank() - 1);
        float[] r = pool.take(rows * half);
        Parallel.forRange(rows, width, (from, to) -> {
            for (int i = from; i < to; i++) {
                int src = i * width;
                int dst = i * half;
                VectorMath.geglu(in, src, src + half, r, dst, half);
            }
        });
        return wrap(r, x.shape().with(-1, half));
    }

    // ---- attention and resampling ----------------------------------------------------------

    @Override
    public Tensor attention(Tensor q, Tensor k, Tensor v, int heads, boolean causal) {
        ShapeRules.attention(q.shape(), k.shape(), v.shape(), heads);
        int batch = q.dim(0);
        int nq = q.dim(1);
        int width = q.dim(2);
        int nk = k.dim(1);
        float[] r = Attention.attention(pool, gemm, budgets.scoreFloats(), floats(q), floats(k), floats(v),
                batch, nq, nk, heads, width / heads, causal);
        return wrap(r, q.shape());
    }

    @Override
    public Tensor upsampleNearest(Tensor x, int height, int width) {
        Shape s = x.shape();
        Shape out = ShapeRules.resize(s, height, width);
        int h = s.dim(-2);
        int w = s.dim(-1);
        int planes = (int) s.product(0, s.rank() - 2);
        float[] data = height == 2 * h && width == 2 * w
                ? Layout.upsampleNearest2x(pool, floats(x), planes, h, w)
                : Layout.resizeNearest(pool, floats(x), planes, h, w, height, width);
        return wrap(data, out);
    }

    // ---- steps of the models and samplers ----------------------------------------------------

    @Override
    public Tensor timestepEmbedding(float[] values, int dim) {
        ShapeRules.timestepEmbedding(dim);
        return wrap(StepKernels.timestepEmbedding(pool.takeZeroed(values.length * dim), values, dim), Shape.of(values.length, dim));
    }

    @Override
    public Tensor weightTokens(Tensor z, Tensor empty, float[] weights) {
        ShapeRules.weightTokens(z.shape(), empty.shape(), weights.length);
        float[] out = pool.take(z.shape().size());
        StepKernels.weightTokens(floats(z), floats(empty), weights, z.dim(1), z.dim(2), out);
        return wrap(out, z.shape());
    }

    @Override
    public double scaledErrorNorm(Tensor low, Tensor high, Tensor previous, float atol, float rtol) {
        ShapeRules.sameShape("scaledErrorNorm", low.shape(), high.shape());
        ShapeRules.sameShape("scaledErrorNorm", low.shape(), previous.shape());
        return StepKernels.scaledErrorNorm(floats(low), floats(high), floats(previous), atol, rtol);
    }

    @Override
    public Tensor blendTiles(List<Tensor> tiles, int[] tops, int[] lefts, int height, int width, int feather) {
        Shape[] shapes = tiles.stream().map(Tensor::shape).toArray(Shape[]::new);
        ShapeRules.blendTiles(shapes, tops, lefts, height, width, feather);
        int channels = shapes[0].dim(1);
        float[] sum = pool.takeZeroed(channels * height * width);
        float[] weight = new float[height * width];
        for (int i = 0; i < tiles.size(); i++) {
            StepKernels.accumulateTile(floats(tiles.get(i)), channels, shapes[i].dim(2), shapes[i].dim(3), tops[i], lefts[i],
                    feather, sum, weight, height, width);
        }
        StepKernels.divideByWeight(sum, weight, channels);
        return wrap(sum, Shape.of(1, channels, height, width));
    }

}

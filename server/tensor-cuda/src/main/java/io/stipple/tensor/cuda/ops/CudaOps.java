package io.stipple.tensor.cuda.ops;

import io.stipple.tensor.DType;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.StorageEvents;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.TensorScope;
import io.stipple.tensor.UnaryOp;
import io.stipple.tensor.cpu.CpuOps;
import io.stipple.tensor.cuda.device.CudaDevice;
import io.stipple.tensor.cuda.device.DeviceBuffer;
import io.stipple.tensor.cuda.device.Dim3;
import io.stipple.tensor.cuda.device.Kernel;
import io.stipple.tensor.cuda.device.KernelArg;
import io.stipple.tensor.cuda.device.LaunchLimits;
import io.stipple.tensor.rules.Broadcast;
import io.stipple.tensor.rules.ShapeRules;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The CUDA backend: tensors in device memory, our kernels ({@code stipple_kernels.cu}) for
 * everything but the matrix products, which go to the device's GEMM (cuBLAS on a GPU). The same
 * code runs on a GPU ({@code JCudaDevice}) and on the emulated device, which is how CI tests it.
 *
 * <p>Computation is in float32, as on the CPU. Tensors stay on the device in the type they are
 * stored as (weights in float16 or bfloat16, usually) and are widened into scratch for the
 * operation that reads them.
 * Nothing here reads a result back to the host except {@link #toArray}, {@link #toBytes} and the
 * scalar reductions.
 */
public final class CudaOps implements Ops {
    private final CudaDevice device;
    private final StorageEvents events;
    private final LaunchLimits limits;
    private final DeviceMemoryPool memory;
    private final StridedLayout layout = new StridedLayout(this);
    /** Converts the stored types the kernels do not read (float64, fp8, integers), on the host, where they are rare. */
    private final CpuOps host = new CpuOps();

    public CudaOps(CudaDevice device) {
        this(device, StorageEvents.NONE);
    }

    /** A backend that reports its allocations, frees and scopes to {@code events} (lifetime tests). */
    public CudaOps(CudaDevice device, StorageEvents events) {
        this.device = device;
        this.events = events;
        this.limits = device.launchLimits();
        this.memory = new DeviceMemoryPool(device);
    }

    CudaDevice device() {
        return device;
    }

    DeviceMemoryPool memory() {
        return memory;
    }

    /** Device memory in tensors and scratch now and at most so far, and freed memory kept for reuse (bytes). */
    public record MemoryUse(long inUseBytes, long peakInUseBytes, long cachedBytes) {}

    public MemoryUse memoryUse() {
        return new MemoryUse(memory.inUseBytes(), memory.peakInUseBytes(), memory.cachedBytes());
    }

    /** Gives the memory kept for reuse back to the device (after models are unloaded). */
    public void releaseCachedMemory() {
        memory.releaseCached();
    }

    StorageEvents events() {
        return events;
    }

    @Override
    public String name() {
        return device.name();
    }

    @Override
    public DType computeDType() {
        return DType.F32;
    }

    @Override
    public TensorScope scope() {
        return TensorScope.open(events);
    }

    // ---- storage ----------------------------------------------------------------------------

    /** The storage of {@code t}, refusing a tensor of another backend. */
    CudaStorage storage(Tensor t) {
        if (!(t.storage() instanceof CudaStorage s) || s.ops() != this) {
            throw new IllegalArgumentException(t + " does not belong to " + name() + " (move it with toF32 on the backend that made it, then fromArray)");
        }
        return s;
    }

    /**
     * Writes {@code t}'s elements to {@code out} as float32: on the device for half precision, on the
     * host for the rare stored types (float64, fp8, integers), which no kernel reads.
     */
    void widen(Tensor t, DeviceBuffer out) {
        CudaStorage s = storage(t);
        long n = t.numel();
        switch (t.dtype()) {
            case F16 -> stream(Kernel.F16_TO_F32, n, arg(s.buffer()), arg(out), arg(n));
            case BF16 -> stream(Kernel.BF16_TO_F32, n, arg(s.buffer()), arg(out), arg(n));
            default -> {
                float[] wide;
                try (Tensor h = host.fromBytes(download(s), t.dtype(), t.shape())) {
                    wide = host.toArray(h);
                }
                device.copyToDevice(MemorySegment.ofArray(wide), out);
            }
        }
    }

    Tensor newTensor(Shape shape) {
        return newTensor(shape, DType.F32);
    }

    private Tensor newTensor(Shape shape, DType dtype) {
        return new Tensor(shape, dtype, new CudaStorage(this, memory.allocate(shape.numel() * dtype.byteSize())));
    }

    /** The storage's bytes, copied to host memory. */
    private MemorySegment download(CudaStorage s) {
        MemorySegment bytes = Arena.ofAuto().allocate(Math.max(1, s.byteSize())).asSlice(0, s.byteSize());
        device.copyToHost(s.buffer(), bytes);
        return bytes;
    }

    /** The memory of a tensor this backend made. */
    DeviceBuffer out(Tensor t) {
        return storage(t).buffer();
    }

    // ---- launches ---------------------------------------------------------------------------

    /** A grid-stride kernel over {@code n} elements (nothing to do for none). */
    void stream(Kernel k, long n, KernelArg... args) {
        if (n > 0) {
            device.launch(k, limits.gridFor(n), limits.block(), args);
        }
    }

    /** A kernel with one block per row or group. */
    private void perBlock(Kernel k, long blocks, KernelArg... args) {
        if (blocks > 0) {
            device.launch(k, Dim3.of(Math.toIntExact(blocks)), limits.block(), args);
        }
    }

    static KernelArg arg(DeviceBuffer b) {
        return new KernelArg.Pointer(b);
    }

    static KernelArg arg(int v) {
        return new KernelArg.Int(v);
    }

    static KernelArg arg(long v) {
        return new KernelArg.Long(v);
    }

    static KernelArg arg(float v) {
        return new KernelArg.Float(v);
    }

    // ---- creation and transfer --------------------------------------------------------------

    @Override
    public Tensor zeros(Shape shape) {
        return full(shape, 0f);
    }

    @Override
    public Tensor full(Shape shape, float value) {
        Tensor t = newTensor(shape);
        stream(Kernel.FILL_F32, shape.numel(), arg(out(t)), arg(value), arg(shape.numel()));
        return t;
    }

    @Override
    public Tensor fromArray(float[] data, Shape shape) {
        ShapeRules.values(data.length, shape);
        Tensor t = newTensor(shape);
        device.copyToDevice(MemorySegment.ofArray(data), out(t));
        return t;
    }

    @Override
    public Tensor fromBytes(MemorySegment bytes, DType dtype, Shape shape) {
        ShapeRules.bytes(bytes.byteSize(), dtype, shape);
        Tensor t = newTensor(shape, dtype);
        device.copyToDevice(bytes, out(t));
        return t;
    }

    @Override
    public float[] toArray(Tensor t) {
        float[] values = new float[t.shape().size()];
        try (Operands in = new Operands(this)) {
            device.copyToHost(in.f32(t), MemorySegment.ofArray(values));
        }
        return values;
    }

    @Override
    public Tensor toF32(Tensor t) {
        if (t.dtype() == DType.F32) {
            return t.share();
        }
        Tensor r = newTensor(t.shape());
        widen(t, out(r));
        return r;
    }

    @Override
    public Tensor cast(Tensor t, DType dtype) {
        if (dtype == DType.F32) {
            return toF32(t);
        }
        storage(t);
        if (t.dtype() == dtype) {
            return t.share();
        }
        if (dtype == DType.F16 || dtype == DType.BF16) {
            Tensor r = newTensor(t.shape(), dtype);
            try (Operands in = new Operands(this)) {
                stream(dtype == DType.F16 ? Kernel.F32_TO_F16 : Kernel.F32_TO_BF16, t.numel(), arg(in.f32(t)), arg(out(r)), arg(t.numel()));
            }
            return r;
        }
        // a rare type: rounded on the host, as the CPU backend rounds it
        try (Tensor h = host.fromArray(toArray(t), t.shape()); Tensor c = host.cast(h, dtype)) {
            return fromBytes(host.toBytes(c), dtype, t.shape());
        }
    }

    @Override
    public MemorySegment toBytes(Tensor t) {
        return download(storage(t));
    }

    // ---- elementwise ------------------------------------------------------------------------

    private Tensor binary(int op, Tensor a, Tensor b) {
        Shape shape = Broadcast.shape(a.shape(), b.shape());
        Tensor r = newTensor(shape);
        try (Operands in = new Operands(this)) {
            broadcast(op, in.f32(a), a.shape(), in.f32(b), b.shape(), out(r), shape);
        }
        return r;
    }

    /** out = a op b, each operand read at its broadcast strides over {@code shape} (out may be a: an epilogue in place). */
    private void broadcast(int op, DeviceBuffer a, Shape sa, DeviceBuffer b, Shape sb, DeviceBuffer out, Shape shape) {
        int[] dims = shape.dims();
        StridedBox box = new StridedBox(dims, Broadcast.strides(sa, dims), Broadcast.strides(sb, dims));
        stream(Kernel.BINARY_BROADCAST, shape.numel(), arg(a), arg(b), arg(out), new KernelArg.Ints(box.meta()), arg(op), arg(shape.numel()));
    }

    @Override
    public Tensor add(Tensor a, Tensor b) {
        return binary(Kernel.ADD, a, b);
    }

    @Override
    public Tensor sub(Tensor a, Tensor b) {
        return binary(Kernel.SUB, a, b);
    }

    @Override
    public Tensor mul(Tensor a, Tensor b) {
        return binary(Kernel.MUL, a, b);
    }

    @Override
    public Tensor div(Tensor a, Tensor b) {
        return binary(Kernel.DIV, a, b);
    }

    private Tensor scalar(int op, Tensor a, float s) {
        Tensor r = newTensor(a.shape());
        try (Operands in = new Operands(this)) {
            stream(Kernel.BINARY_SCALAR, a.numel(), arg(in.f32(a)), arg(s), arg(out(r)), arg(op), arg(a.numel()));
        }
        return r;
    }

    @Override
    public Tensor scale(Tensor a, float s) {
        return scalar(Kernel.MUL, a, s);
    }

    @Override
    public Tensor addScalar(Tensor a, float s) {
        return scalar(Kernel.ADD, a, s);
    }

    @Override
    public Tensor divScalar(Tensor a, float s) {
        return scalar(Kernel.DIV, a, s);
    }

    @Override
    public Tensor addScaled(Tensor a, Tensor b, float s) {
        ShapeRules.sameShape("addScaled", a.shape(), b.shape());
        Tensor r = newTensor(a.shape());
        try (Operands in = new Operands(this)) {
            stream(Kernel.ADD_SCALED, a.numel(), arg(in.f32(a)), arg(in.f32(b)), arg(s), arg(out(r)), arg(a.numel()));
        }
        return r;
    }

    @Override
    public Tensor unary(Tensor a, UnaryOp op) {
        Tensor r = newTensor(a.shape());
        try (Operands in = new Operands(this)) {
            stream(Kernel.UNARY_F32, a.numel(), arg(in.f32(a)), arg(out(r)), arg(op.ordinal()), arg(a.numel()));
        }
        return r;
    }

    @Override
    public Tensor clamp(Tensor a, float min, float max) {
        Tensor r = newTensor(a.shape());
        try (Operands in = new Operands(this)) {
            stream(Kernel.CLAMP_F32, a.numel(), arg(in.f32(a)), arg(out(r)), arg(min), arg(max), arg(a.numel()));
        }
        return r;
    }

    // ---- reductions -------------------------------------------------------------------------

    @Override
    public double sum(Tensor a) {
        try (Operands in = new Operands(this)) {
            return reduce(in, Kernel.SUM, in.f32(a), a.numel());
        }
    }

    @Override
    public double maxAbs(Tensor a) {
        try (Operands in = new Operands(this)) {
            return reduce(in, Kernel.MAX_ABS, in.f32(a), a.numel());
        }
    }

    /** reduce_f32 in two passes: a partial per block, then one block over the partials. */
    private float reduce(Operands in, int op, DeviceBuffer values, long n) {
        if (n == 0) {
            return 0f;
        }
        Dim3 grid = Dim3.of(Math.min(limits.gridFor(n).x(), Kernel.BLOCK));
        DeviceBuffer partials = in.temporary(4L * grid.x());
        device.launch(Kernel.REDUCE_F32, grid, limits.block(), arg(values), arg(partials), arg(op), arg(n));
        return finish(in, partials, grid.x(), op);
    }

    private float finish(Operands in, DeviceBuffer partials, int count, int op) {
        DeviceBuffer total = in.temporary(4);
        device.launch(Kernel.REDUCE_F32, Dim3.of(1), limits.block(), arg(partials), arg(total), arg(op), arg((long) count));
        float[] result = new float[1];
        device.copyToHost(total, MemorySegment.ofArray(result));
        return result[0];
    }

    // ---- shape ------------------------------------------------------------------------------

    @Override
    public Tensor concat(int axis, Tensor... parts) {
        return layout.concat(axis, parts);
    }

    @Override
    public Tensor narrow(Tensor a, int axis, int start, int length) {
        return layout.narrow(a, axis, start, length);
    }

    @Override
    public Tensor permute(Tensor a, int... order) {
        return layout.permute(a, order);
    }

    @Override
    public Tensor pad2d(Tensor a, int left, int right, int top, int bottom) {
        return layout.pad2d(a, left, right, top, bottom);
    }

    @Override
    public Tensor embedding(Tensor table, int[] ids) {
        ShapeRules.embedding(table.shape(), ids);
        int dim = table.dim(1);
        // half-precision tables (CLIP's token embedding as stored) are read as they are, not widened whole
        CudaStorage s = storage(table);
        Tensor r = newTensor(Shape.of(ids.length, dim));
        try (Operands in = new Operands(this)) {
            Kernel k = switch (table.dtype()) {
                case F16 -> Kernel.EMBEDDING_F16;
                case BF16 -> Kernel.EMBEDDING_BF16;
                default -> Kernel.EMBEDDING_F32;
            };
            DeviceBuffer rows = k == Kernel.EMBEDDING_F32 ? in.f32(table) : s.buffer();
            stream(k, (long) ids.length * dim, arg(rows), arg(in.ints(ids)), arg(out(r)), arg(ids.length), arg(dim));
        }
        return r;
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
        long batch = sa.product(0, sa.rank() - 2);
        Tensor r = newTensor(sa.with(-1, n));
        try (Operands in = new Operands(this)) {
            DeviceBuffer x = in.f32(a);
            DeviceBuffer y = in.f32(b);
            DeviceBuffer z = out(r);
            for (long i = 0; i < batch; i++) {
                device.sgemm(false, false, m, n, k, matrix(x, i, m, k), matrix(y, i, k, n), matrix(z, i, m, n));
            }
        }
        return r;
    }

    /** The {@code i}-th (rows, cols) float32 matrix of a batch. */
    private static DeviceBuffer matrix(DeviceBuffer batch, long i, int rows, int cols) {
        long bytes = 4L * rows * cols;
        return batch.slice(i * bytes, bytes);
    }

    @Override
    public Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        ShapeRules.linear(x.shape(), weight.shape(), bias);
        int in = x.dim(-1);
        int outs = weight.dim(0);
        int rows = (int) x.shape().product(0, x.rank() - 1);
        Tensor r = newTensor(x.shape().with(-1, outs));
        try (Operands ops = new Operands(this)) {
            device.sgemm(false, true, rows, outs, in, ops.f32(x), ops.f32(weight), out(r));
            if (bias != null) {
                addInPlace(out(r), Shape.of(rows, outs), ops.f32(bias), Shape.of(outs));
            }
        }
        return r;
    }

    /** {@code target += addend}, broadcasting {@code addend} over {@code target} (a bias epilogue). */
    private void addInPlace(DeviceBuffer target, Shape targetShape, DeviceBuffer addend, Shape addendShape) {
        broadcast(Kernel.ADD, target, targetShape, addend, addendShape, target, targetShape);
    }

    /**
     * Per batch element, the weight (out, in·kh·kw) times the element's columns (in·kh·kw, oh·ow)
     * from im2col; a 1×1 convolution of stride 1 reads the input as its own columns.
     */
    @Override
    public Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        Shape s = x.shape();
        Shape ws = weight.shape();
        Shape shape = ShapeRules.conv2d(s, ws, bias, stride, padding);
        int n = s.dim(0);
        int c = s.dim(1);
        int h = s.dim(2);
        int w = s.dim(3);
        int cout = ws.dim(0);
        int kh = ws.dim(2);
        int kw = ws.dim(3);
        int oh = shape.dim(2);
        int ow = shape.dim(3);
        int depth = c * kh * kw;
        Tensor r = newTensor(shape);
        try (Operands in = new Operands(this)) {
            DeviceBuffer input = in.f32(x);
            DeviceBuffer filters = in.f32(weight);
            boolean pointwise = kh == 1 && kw == 1 && stride == 1 && padding == 0;
            DeviceBuffer columns = pointwise ? null : in.temporary(4L * depth * oh * ow);
            for (int b = 0; b < n; b++) {
                DeviceBuffer image = matrix(input, b, c, h * w);
                if (!pointwise) {
                    stream(Kernel.IM2COL, (long) depth * oh * ow, arg(image), arg(columns), arg(1), arg(c), arg(h), arg(w), arg(kh), arg(kw),
                            arg(stride), arg(padding), arg(oh), arg(ow));
                }
                device.sgemm(false, false, cout, oh * ow, depth, filters, pointwise ? image : columns, matrix(out(r), b, cout, oh * ow));
            }
            if (bias != null) {
                addInPlace(out(r), shape, in.f32(bias), Shape.of(cout, 1, 1));
            }
        }
        return r;
    }

    // ---- normalisation and activation ------------------------------------------------------

    @Override
    public Tensor groupNorm(Tensor x, int groups, Tensor gamma, Tensor beta, float eps) {
        Shape s = x.shape();
        ShapeRules.groupNorm(s, groups);
        int c = s.dim(1);
        ShapeRules.perChannel("groupNorm", "gamma", gamma, c, "input", s);
        ShapeRules.perChannel("groupNorm", "beta", beta, c, "input", s);
        int spatial = (int) s.product(2, s.rank());
        Tensor r = newTensor(s);
        try (Operands in = new Operands(this)) {
            perBlock(Kernel.GROUP_NORM, (long) s.dim(0) * groups, arg(in.f32(x)), arg(in.f32(gamma)), arg(in.f32(beta)), arg(out(r)), arg(c),
                    arg(spatial), arg(groups), arg(eps), arg(0));
        }
        return r;
    }

    @Override
    public Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps) {
        ShapeRules.perChannel("layerNorm", "gamma", gamma, x.dim(-1), "input", x.shape());
        ShapeRules.perChannel("layerNorm", "beta", beta, x.dim(-1), "input", x.shape());
        Tensor r = newTensor(x.shape());
        try (Operands in = new Operands(this)) {
            perBlock(Kernel.LAYER_NORM_ROWS, rows(x), arg(in.f32(x)), arg(in.f32(gamma)), arg(in.f32(beta)), arg(out(r)), arg(x.dim(-1)),
                    arg(eps));
        }
        return r;
    }

    @Override
    public Tensor softmax(Tensor x) {
        Tensor r = newTensor(x.shape());
        try (Operands in = new Operands(this)) {
            perBlock(Kernel.SOFTMAX_ROWS, x.dim(-1) == 0 ? 0 : rows(x), arg(in.f32(x)), arg(out(r)), arg(x.dim(-1)));
        }
        return r;
    }

    private static long rows(Tensor x) {
        return x.shape().product(0, x.rank() - 1);
    }

    @Override
    public Tensor geglu(Tensor x) {
        Tensor r = newTensor(ShapeRules.geglu(x.shape()));
        int inner = r.dim(-1);
        try (Operands in = new Operands(this)) {
            stream(Kernel.GEGLU, rows(x) * inner, arg(in.f32(x)), arg(out(r)), arg(rows(x)), arg(inner));
        }
        return r;
    }

    // ---- attention and resampling ----------------------------------------------------------

    @Override
    public Tensor attention(Tensor q, Tensor k, Tensor v, int heads, boolean causal) {
        ShapeRules.attention(q.shape(), k.shape(), v.shape(), heads);
        int batch = q.dim(0);
        int nq = q.dim(1);
        int d = q.dim(2) / heads;
        if (d > Kernel.MAX_HEAD) {
            return attentionByProducts(q, k, v, heads, causal);
        }
        Tensor r = newTensor(q.shape());
        if (nq == 0 || batch == 0 || heads == 0) {
            return r;
        }
        try (Operands in = new Operands(this)) {
            Dim3 grid = new Dim3(batch * heads, (nq + limits.threads() - 1) / limits.threads(), 1);
            Kernel kernel = d <= Kernel.SMALL_HEAD ? Kernel.ATTENTION_ROWS_64 : Kernel.ATTENTION_ROWS;
            device.launch(kernel, grid, limits.block(), arg(in.f32(q)), arg(in.f32(k)), arg(in.f32(v)), arg(out(r)), arg(nq),
                    arg(k.dim(1)), arg(heads), arg(d), arg((float) (1.0 / Math.sqrt(d))), arg(causal ? 1 : 0));
        }
        return r;
    }

    /**
     * Attention with heads wider than the fused kernel holds (the VAE's one head of 512 channels): the
     * scores in full, softmax(scale·q·kᵀ)·v through the GEMM, as the CPU backend computes them.
     */
    private Tensor attentionByProducts(Tensor q, Tensor k, Tensor v, int heads, boolean causal) {
        int batch = q.dim(0);
        int nq = q.dim(1);
        int nk = k.dim(1);
        int d = q.dim(2) / heads;
        if (causal) {
            throw new IllegalArgumentException("causal attention with heads of " + d + " channels (expected: at most " + Kernel.MAX_HEAD + ")");
        }
        try (TensorScope s = scope()) {
            Tensor qh = permute(q.reshape(batch, nq, heads, d), 0, 2, 1, 3); // (batch, heads, nq, d)
            Tensor kt = permute(k.reshape(batch, nk, heads, d), 0, 2, 3, 1); // (batch, heads, d, nk)
            Tensor vh = permute(v.reshape(batch, nk, heads, d), 0, 2, 1, 3); // (batch, heads, nk, d)
            Tensor weights = softmax(scale(matmul(qh, kt), (float) (1.0 / Math.sqrt(d)))); // (batch, heads, nq, nk)
            Tensor heads4 = permute(matmul(weights, vh), 0, 2, 1, 3); // (batch, nq, heads, d)
            return s.keep(heads4.reshape(batch, nq, heads * d));
        }
    }

    @Override
    public Tensor upsampleNearest(Tensor x, int height, int width) {
        Shape s = x.shape();
        Tensor r = newTensor(ShapeRules.resize(s, height, width));
        long planes = s.product(0, s.rank() - 2);
        try (Operands in = new Operands(this)) {
            stream(Kernel.RESIZE_NEAREST, planes * height * width, arg(in.f32(x)), arg(out(r)), arg(planes), arg(s.dim(-2)), arg(s.dim(-1)),
                    arg(height), arg(width));
        }
        return r;
    }

    // ---- steps of the models and samplers ----------------------------------------------------

    @Override
    public Tensor timestepEmbedding(float[] values, int dim) {
        ShapeRules.timestepEmbedding(dim);
        Tensor r = dim % 2 == 1 ? zeros(Shape.of(values.length, dim)) : newTensor(Shape.of(values.length, dim));
        try (Operands in = new Operands(this)) {
            stream(Kernel.TIMESTEP_EMBEDDING, (long) values.length * (dim / 2), arg(in.floats(values)), arg(out(r)), arg(values.length), arg(dim));
        }
        return r;
    }

    @Override
    public Tensor weightTokens(Tensor z, Tensor empty, float[] weights) {
        ShapeRules.weightTokens(z.shape(), empty.shape(), weights.length);
        Tensor r = newTensor(z.shape());
        int rows = z.dim(0) * z.dim(1);
        try (Operands in = new Operands(this)) {
            stream(Kernel.WEIGHT_TOKENS, (long) rows * z.dim(2), arg(in.f32(z)), arg(in.f32(empty)), arg(in.floats(weights)), arg(out(r)),
                    arg(rows), arg(z.dim(1)), arg(z.dim(2)));
        }
        return r;
    }

    @Override
    public double scaledErrorNorm(Tensor low, Tensor high, Tensor previous, float atol, float rtol) {
        ShapeRules.sameShape("scaledErrorNorm", low.shape(), high.shape());
        ShapeRules.sameShape("scaledErrorNorm", low.shape(), previous.shape());
        long n = low.numel();
        try (Operands in = new Operands(this)) {
            float sum = 0f;
            if (n > 0) {
                Dim3 grid = Dim3.of(Math.min(limits.gridFor(n).x(), Kernel.BLOCK));
                DeviceBuffer partials = in.temporary(4L * grid.x());
                device.launch(Kernel.SCALED_ERROR_PARTIALS, grid, limits.block(), arg(in.f32(low)), arg(in.f32(high)), arg(in.f32(previous)),
                        arg(atol), arg(rtol), arg(partials), arg(n));
                sum = finish(in, partials, grid.x(), Kernel.SUM);
            }
            float norm = (float) Math.sqrt(sum);
            return norm / (float) Math.sqrt(n);
        }
    }

    @Override
    public Tensor blendTiles(List<Tensor> tiles, int[] tops, int[] lefts, int height, int width, int feather) {
        Shape[] shapes = tiles.stream().map(Tensor::shape).toArray(Shape[]::new);
        ShapeRules.blendTiles(shapes, tops, lefts, height, width, feather);
        int channels = shapes[0].dim(1);
        long plane = (long) height * width;
        Tensor r = zeros(Shape.of(1, channels, height, width));
        try (Operands in = new Operands(this)) {
            DeviceBuffer weight = in.temporary(4 * plane);
            stream(Kernel.FILL_F32, plane, arg(weight), arg(0f), arg(plane));
            for (int i = 0; i < tiles.size(); i++) {
                int th = shapes[i].dim(2);
                int tw = shapes[i].dim(3);
                stream(Kernel.BLEND_TILE_ACCUMULATE, (long) th * tw, arg(in.f32(tiles.get(i))), arg(out(r)), arg(weight), arg(channels), arg(th),
                        arg(tw), arg(tops[i]), arg(lefts[i]), arg(feather), arg(height), arg(width));
            }
            stream(Kernel.BLEND_TILES_DIVIDE, channels * plane, arg(out(r)), arg(weight), arg(channels), arg(plane));
        }
        return r;
    }

}

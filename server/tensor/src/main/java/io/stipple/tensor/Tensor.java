package io.stipple.tensor;

/**
 * An n-dimensional array: a shape, an element type and storage owned by one backend. Tensors are
 * immutable values; every operation returns a new tensor. The fluent methods delegate to the
 * backend that owns the storage, so sampler code reads like its torch original:
 * {@code x.add(d.mul(dt))}.
 *
 * <p>A tensor holds one reference to its storage, which views share. Memory is freed when the last
 * holder closes: a tensor made inside a {@link TensorScope} is closed by the scope unless kept; one
 * made outside every scope is closed by its holder or left to the garbage collector (the CPU
 * backend's heap arrays; weights over a mapped file). A closed tensor throws when it is used.
 */
public final class Tensor implements AutoCloseable {
    private final Shape shape;
    private final DType dtype;
    private final Storage storage;
    private boolean closed;
    /** The scope that will close it, or null; only {@link TensorScope} changes it. */
    TensorScope owner;

    /** A tensor taking over one reference to {@code storage} (a fresh storage's, or one {@link Storage#retain}ed for it). */
    public Tensor(Shape shape, DType dtype, Storage storage) {
        this.shape = shape;
        this.dtype = dtype;
        this.storage = storage;
        TensorScope.adopt(this);
    }

    public Shape shape() {
        return shape;
    }

    public DType dtype() {
        return dtype;
    }

    /** The memory, for the backend that reads it; throws once this tensor is closed. */
    public Storage storage() {
        if (closed) {
            throw new IllegalStateException(this + " used after close");
        }
        return storage;
    }

    public boolean isClosed() {
        return closed;
    }

    public Ops ops() {
        return storage.ops();
    }

    public int dim(int axis) {
        return shape.dim(axis);
    }

    public int rank() {
        return shape.rank();
    }

    public long numel() {
        return shape.numel();
    }

    /** The same elements viewed with another shape of equal size (shares storage). */
    public Tensor reshape(int... dims) {
        Shape s = Shape.of(dims);
        if (s.numel() != shape.numel()) {
            throw new IllegalArgumentException("cannot reshape " + shape + " to " + s);
        }
        return view(s);
    }

    /** Another tensor over the same storage (its own holder, closed on its own). */
    public Tensor share() {
        return view(shape);
    }

    private Tensor view(Shape s) {
        Storage st = storage();
        st.retain();
        return new Tensor(s, dtype, st);
    }

    // ---- fluent arithmetic, for sampler code -------------------------------------------------

    public Tensor add(Tensor o) {
        return ops().add(this, o);
    }

    public Tensor sub(Tensor o) {
        return ops().sub(this, o);
    }

    public Tensor mul(Tensor o) {
        return ops().mul(this, o);
    }

    public Tensor div(Tensor o) {
        return ops().div(this, o);
    }

    public Tensor mul(double s) {
        return ops().scale(this, (float) s);
    }

    public Tensor div(double s) {
        return ops().divScalar(this, (float) s);
    }

    public Tensor add(double s) {
        return ops().addScalar(this, (float) s);
    }

    /** {@code this + o * s}. */
    public Tensor addScaled(Tensor o, double s) {
        return ops().addScaled(this, o, (float) s);
    }

    public Tensor neg() {
        return ops().unary(this, UnaryOp.NEG);
    }

    public Tensor apply(UnaryOp op) {
        return ops().unary(this, op);
    }

    public Tensor zerosLike() {
        return ops().zeros(shape);
    }

    public float[] toArray() {
        return ops().toArray(this);
    }

    public double maxAbs() {
        return ops().maxAbs(this);
    }

    @Override
    public void close() {
        if (closed) {
            throw new IllegalStateException(this + " closed twice");
        }
        closed = true;
        storage.release();
    }

    @Override
    public String toString() {
        return "Tensor" + shape + " " + dtype + " on " + storage.ops().name();
    }
}

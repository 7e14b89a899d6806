package io.stipple.tensor;

/**
 * An n-dimensional array: a shape, an element type and storage owned by one backend. Tensors are
 * immutable values; every operation returns a new tensor. The fluent methods delegate to the
 * backend that owns the storage, so sampler code reads like its torch original:
 * {@code x.add(d.mul(dt))}.
 *
 * <p>Device memory is not left to the garbage collector: close a tensor when done with it. On the
 * CPU backend closing is free and optional.
 */
public final class Tensor implements AutoCloseable {
    private final Shape shape;
    private final DType dtype;
    private final Storage storage;

    public Tensor(Shape shape, DType dtype, Storage storage) {
        this.shape = shape;
        this.dtype = dtype;
        this.storage = storage;
    }

    public Shape shape() {
        return shape;
    }

    public DType dtype() {
        return dtype;
    }

    public Storage storage() {
        return storage;
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
        return new Tensor(s, dtype, storage);
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
        // torch divides elementwise; multiplying by 1/s would round differently
        return ops().div(this, ops().full(Shape.of(1), (float) s));
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
        storage.release();
    }

    @Override
    public String toString() {
        return "Tensor" + shape + " " + dtype + " on " + ops().name();
    }
}

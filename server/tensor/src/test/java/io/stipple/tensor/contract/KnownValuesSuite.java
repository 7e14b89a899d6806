package io.stipple.tensor.contract;

import io.stipple.tensor.Ops;
import org.junit.jupiter.api.Nested;

/**
 * Every known-value suite for one backend: a backend's test extends this and says which Ops it tests
 * (the CPU backend, the reference, later CUDA).
 */
public abstract class KnownValuesSuite {

    protected abstract Ops ops();

    @Nested
    class Transfer extends TransferKnownValues {
        @Override
        protected Ops ops() {
            return KnownValuesSuite.this.ops();
        }
    }

    @Nested
    class Elementwise extends ElementwiseKnownValues {
        @Override
        protected Ops ops() {
            return KnownValuesSuite.this.ops();
        }
    }

    @Nested
    class Layout extends LayoutKnownValues {
        @Override
        protected Ops ops() {
            return KnownValuesSuite.this.ops();
        }
    }

    @Nested
    class LinearAlgebra extends LinearAlgebraKnownValues {
        @Override
        protected Ops ops() {
            return KnownValuesSuite.this.ops();
        }
    }

    @Nested
    class Normalization extends NormalizationKnownValues {
        @Override
        protected Ops ops() {
            return KnownValuesSuite.this.ops();
        }
    }

    @Nested
    class Attention extends AttentionKnownValues {
        @Override
        protected Ops ops() {
            return KnownValuesSuite.this.ops();
        }
    }
}

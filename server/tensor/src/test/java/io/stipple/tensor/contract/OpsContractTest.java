package io.stipple.tensor.contract;

import io.stipple.tensor.DType;
import io.stipple.tensor.Ops;
import io.stipple.tensor.testing.ReferenceOps;
import org.junit.jupiter.api.Nested;

/**
 * The contract of {@link Ops}: every operation on random inputs of several shapes, stored as float32,
 * float16 and bfloat16, against {@link ReferenceOps}, within {@link #tolerance(DType)}; element moves
 * (layout, reading stored types, casts) bit for bit. A backend passes it by extending this class
 * (or one {@code @Nested} subclass per configuration) and returning itself from {@link #ops()}.
 *
 * <p>The convolution and attention cases span many output rows and queries, so that a backend which
 * works in bands (the CPU backend with small band budgets) crosses band edges, remainders included.
 */
public abstract class OpsContractTest {

    /** The backend under test; called before each test. */
    protected abstract Ops ops();

    /**
     * The largest allowed |backend − reference|, as a fraction of the result's largest |value|, when
     * the inputs are stored as {@code inputs}. A backend that computes in float32 whatever it reads
     * can hold the half-precision cases to the float32 tolerance.
     */
    protected double tolerance(DType inputs) {
        return switch (inputs) {
            case F16 -> 2e-3;
            case BF16 -> 1.6e-2;
            default -> 1e-5;
        };
    }

    /** How failure messages name this set-up of the backend; a subclass per set-up names each. */
    protected String configuration() {
        return getClass().getSimpleName();
    }

    // the parts, each given this test's backend and tolerance

    @Nested
    class Elementwise extends ElementwiseContract {
        Elementwise() {
            super(OpsContractTest.this);
        }
    }

    @Nested
    class Layout extends LayoutContract {
        Layout() {
            super(OpsContractTest.this);
        }
    }

    @Nested
    class LinearAlgebra extends LinearAlgebraContract {
        LinearAlgebra() {
            super(OpsContractTest.this);
        }
    }

    @Nested
    class Normalization extends NormalizationContract {
        Normalization() {
            super(OpsContractTest.this);
        }
    }

    @Nested
    class Attention extends AttentionContract {
        Attention() {
            super(OpsContractTest.this);
        }
    }

    @Nested
    class Steps extends StepsContract {
        Steps() {
            super(OpsContractTest.this);
        }
    }

    @Nested
    class Lifetime extends LifetimeContract {
        Lifetime() {
            super(OpsContractTest.this);
        }
    }
}

package io.stipple.tensor.cpu;

import io.stipple.tensor.DType;
import io.stipple.tensor.Ops;
import io.stipple.tensor.contract.OpsContractTest;
import io.stipple.tensor.cpu.gemm.Gemm;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;

/**
 * CpuOps against the reference, with each GEMM, and with band budgets small enough that the contract's
 * convolutions and attentions run in many bands: 200 column floats is one output row per band for a
 * 3×3 over 3 or more channels and five rows (then two) for the 1×3 case; 40 score floats is three
 * queries per band against 13 keys (six bands for 17 queries) and one per band against 33.
 */
class CpuOpsContractTest {
    private static final Budgets SMALL_BANDS = new Budgets(200, 40);

    /** CpuOps reads every stored type into float32 and computes there: float32's tolerance for all. */
    private static double float32Tolerance(DType inputs) {
        return 1e-5;
    }

    @Nested
    class JavaGemm extends OpsContractTest {
        @Override
        protected Ops ops() {
            return new CpuOps(Gemm.java(), SMALL_BANDS);
        }

        @Override
        protected double tolerance(DType inputs) {
            return float32Tolerance(inputs);
        }
    }

    @Nested
    class OpenBlas extends OpsContractTest {
        private static final Optional<Gemm> BLAS = Gemm.openBlas();

        @Override
        protected Ops ops() {
            Assumptions.assumeTrue(BLAS.isPresent(), "OpenBLAS not installed");
            return new CpuOps(BLAS.get(), SMALL_BANDS);
        }

        @Override
        protected double tolerance(DType inputs) {
            return float32Tolerance(inputs);
        }
    }

    @Nested
    class DefaultBands extends OpsContractTest {
        @Override
        protected Ops ops() {
            return new CpuOps();
        }

        @Override
        protected double tolerance(DType inputs) {
            return float32Tolerance(inputs);
        }
    }
}

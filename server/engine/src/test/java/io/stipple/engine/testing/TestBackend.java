package io.stipple.engine.testing;

import io.stipple.tensor.Ops;
import io.stipple.tensor.cpu.CpuOps;
import io.stipple.tensor.cuda.CudaBackends;

/**
 * The backend the engine's golden tests run on: the CPU unless {@code -Dstipple.test.backend} names
 * another ({@code cuda-emulated} in CI's second golden run, {@code cuda} on a GPU), so that the same
 * goldens, with the same tolerances, check every backend. One instance per JVM.
 */
public final class TestBackend {
    public static final String PROPERTY = "stipple.test.backend";

    private TestBackend() {}

    private static final class Holder {
        static final Ops OPS = open(System.getProperty(PROPERTY, "cpu"));
    }

    public static Ops ops() {
        return Holder.OPS;
    }

    private static Ops open(String name) {
        return switch (name) {
            case "cpu" -> new CpuOps();
            case "cuda-emulated" -> CudaBackends.emulated();
            case "cuda" -> CudaBackends.gpu();
            default -> throw new IllegalArgumentException(PROPERTY + ": " + name + " (expected: cpu, cuda-emulated or cuda)");
        };
    }
}

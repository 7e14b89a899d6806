package io.stipple.cli;

import io.stipple.tensor.Ops;
import io.stipple.tensor.cpu.CpuOps;
import io.stipple.tensor.cuda.CudaBackends;
import io.stipple.tensor.cuda.ops.CudaOps;

/** The backend a command that computes by itself runs on (bench): cpu, cuda or cuda-emulated, refused with what is missing. */
final class BackendOption {
    private BackendOption() {}

    static Ops open(String name) {
        try {
            return switch (name) {
                case "cpu" -> new CpuOps();
                case "cuda" -> CudaBackends.gpu();
                case "cuda-emulated" -> CudaBackends.emulated();
                default -> throw new UserError("--backend: " + name + " (expected: one of cpu, cuda, cuda-emulated)");
            };
        } catch (CudaBackends.UnavailableException e) {
            throw new UserError("--backend " + e.getMessage());
        }
    }

    /** How the matrix products are computed: the CPU's GEMM, or the device's. */
    static String gemm(Ops ops) {
        return switch (ops) {
            case CpuOps cpu -> cpu.gemm().name();
            case CudaOps cuda -> cuda.name() + " sgemm";
            default -> ops.name();
        };
    }
}

package io.stipple.tensor.cpu.gemm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * OpenBLAS's {@code cblas_sgemm} through the foreign-function API. Java arrays are passed without
 * copying ("critical" downcalls may read the heap); large products are split along n so that one
 * call never holds off the garbage collector for long.
 *
 * <p>OpenBLAS 0.3.21 mistakes recent AVX-512 CPUs for old ones and runs its slow kernels, and
 * machine images often pin {@code OPENBLAS_CORETYPE} to a safe old value (measured on a 2-core
 * Zen 4: Prescott 85, Haswell 220, SkylakeX 390 GFLOP/s). So the core type is chosen from the CPU's
 * flags and set before the library loads; {@code STIPPLE_OPENBLAS_CORETYPE} overrides the choice.
 */
final class OpenBlasGemm implements Gemm {
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;
    /** Columns of C per call: bounds the time a call can delay a GC pause (~20 ms per chunk). */
    private static final long MAX_FLOPS_PER_CALL = 4_000_000_000L;
    private static final List<String> CANDIDATES = List.of(
            "libopenblas.so.0", "libopenblas.so", "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
            "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0", "libopenblas.dylib");

    private static volatile String lastFailure = "not tried";

    private final MethodHandle sgemm;
    private final String coreType;

    private OpenBlasGemm(MethodHandle sgemm, String coreType) {
        this.sgemm = sgemm;
        this.coreType = coreType;
    }

    static String lastFailure() {
        return lastFailure;
    }

    static Optional<Gemm> load() {
        Linker linker = Linker.nativeLinker();
        String coreType = chooseCoreType(linker);
        String override = System.getenv("STIPPLE_OPENBLAS");
        List<String> names = override != null ? List.of(override) : CANDIDATES;
        for (String name : names) {
            try {
                SymbolLookup lib = SymbolLookup.libraryLookup(name.startsWith("/") ? Path.of(name).toString() : name, Arena.global());
                Optional<MemorySegment> fn = lib.find("cblas_sgemm");
                if (fn.isEmpty()) {
                    lastFailure = name + " has no cblas_sgemm";
                    continue;
                }
                FunctionDescriptor fd = FunctionDescriptor.ofVoid(
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT);
                MethodHandle mh = linker.downcallHandle(fn.get(), fd, Linker.Option.critical(true));
                setThreads(lib, linker);
                return Optional.of(new OpenBlasGemm(mh, coreType));
            } catch (IllegalArgumentException | IllegalCallerException e) {
                lastFailure = name + ": " + e.getMessage();
            }
        }
        return Optional.empty();
    }

    private static void setThreads(SymbolLookup lib, Linker linker) {
        lib.find("openblas_set_num_threads").ifPresent(fn -> {
            try {
                linker.downcallHandle(fn, FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT))
                        .invokeExact(Runtime.getRuntime().availableProcessors());
            } catch (Throwable t) {
                // keep OpenBLAS's own choice
            }
        });
    }

    /** Sets OPENBLAS_CORETYPE in this process's environment (before the library reads it). */
    private static String chooseCoreType(Linker linker) {
        String type = System.getenv("STIPPLE_OPENBLAS_CORETYPE");
        if (type == null) {
            type = coreTypeFromCpuFlags();
        }
        if (type == null) {
            return System.getenv().getOrDefault("OPENBLAS_CORETYPE", "auto");
        }
        try (Arena arena = Arena.ofConfined()) {
            MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().find("setenv").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            int rc = (int) setenv.invokeExact(arena.allocateFrom("OPENBLAS_CORETYPE"), arena.allocateFrom(type), 1);
            return rc == 0 ? type : "auto";
        } catch (Throwable t) {
            return "auto";
        }
    }

    private static String coreTypeFromCpuFlags() {
        try {
            String info = Files.readString(Path.of("/proc/cpuinfo"));
            int at = info.indexOf("\nflags");
            if (at < 0) {
                return null;
            }
            String flags = " " + info.substring(at, info.indexOf('\n', at + 1)) + " ";
            // Cooperlake's sgemm kernel is SkylakeX's; SkylakeX also loads on AVX-512 CPUs without bf16
            if (flags.contains(" avx512f ") && flags.contains(" avx512bw ")) {
                return "SkylakeX";
            }
            if (flags.contains(" avx2 ")) {
                return "Haswell";
            }
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    public String name() {
        return "OpenBLAS (OPENBLAS_CORETYPE=" + coreType + ")";
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
            float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            // BLAS's C = beta·C; the operands may be empty arrays, which cannot be sliced at an offset
            scaleC(m, n, beta, c, cOff, ldc);
            return;
        }
        long flops = 2L * m * n * Math.max(k, 1);
        int chunk = (int) Math.max(16, Math.min(n, (long) n * MAX_FLOPS_PER_CALL / flops));
        chunk = Math.min(n, (chunk + 15) & ~15);
        for (int j = 0; j < n; j += chunk) {
            int cols = Math.min(chunk, n - j);
            // column block j of op(B): B[·, j] when not transposed, row j of B when transposed
            int bStart = bOff + (transB ? j * ldb : j);
            call(transA, transB, m, cols, k, alpha, a, aOff, lda, b, bStart, ldb, beta, c, cOff + j, ldc);
        }
    }

    private static void scaleC(int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int at = cOff + i * ldc + j;
                c[at] = beta == 0f ? 0f : c[at] * beta;
            }
        }
    }

    private void call(boolean transA, boolean transB, int m, int n, int k, float alpha,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
            float beta, float[] c, int cOff, int ldc) {
        try {
            sgemm.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha,
                    MemorySegment.ofArray(a).asSlice(4L * aOff), lda,
                    MemorySegment.ofArray(b).asSlice(4L * bOff), ldb,
                    beta, MemorySegment.ofArray(c).asSlice(4L * cOff), ldc);
        } catch (Throwable t) {
            throw new IllegalStateException("cblas_sgemm failed", t);
        }
    }
}

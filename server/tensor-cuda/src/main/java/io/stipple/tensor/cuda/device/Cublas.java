package io.stipple.tensor.cuda.device;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * cuBLAS through Java's FFM API, on a {@link JCudaDevice}'s context and stream. JCuda's own cuBLAS
 * binding links versioned symbols of libcublas.so.12 and cannot load where only CUDA 13 exists;
 * the C functions used here have the same signature in both (see shared/gpu/README.md).
 *
 * <p>Matrices are row-major as the tensors are; cuBLAS is column-major, so C = A·B is computed as
 * Cᵀ = Bᵀ·Aᵀ, which is the same memory.
 */
public final class Cublas implements AutoCloseable {
    /** Where the library is looked for when {@value #OVERRIDE} does not name it. */
    static final List<String> FOLDERS = List.of("/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cu13/lib",
            "/usr/local/cuda/lib64", "/usr/lib/x86_64-linux-gnu");
    static final String OVERRIDE = "STIPPLE_CUBLAS";
    private static final List<String> SONAMES = List.of("libcublas.so.13", "libcublas.so.12");

    // cublasComputeType_t and cudaDataType_t values from the CUDA headers
    private static final int CUBLAS_COMPUTE_32F = 68;
    private static final int CUDA_R_32F = 0;
    private static final int CUBLAS_OP_N = 0;
    private static final int CUBLAS_OP_T = 1;
    private static final int CUBLAS_GEMM_DEFAULT = -1;

    private static final Linker LINKER = Linker.nativeLinker();

    private final Arena arena = Arena.ofShared();
    private final MemorySegment handle;
    private final MethodHandle gemmEx;
    private final MethodHandle destroy;

    /**
     * @throws IllegalStateException when no cuBLAS library can be found, naming where it looked
     */
    public Cublas(JCudaDevice device) {
        SymbolLookup lib = SymbolLookup.libraryLookup(library(), arena);
        MethodHandle create = downcall(lib, "cublasCreate_v2", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        MethodHandle setStream = downcall(lib, "cublasSetStream_v2",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        destroy = downcall(lib, "cublasDestroy_v2", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        // cublasGemmEx(handle, transa, transb, m, n, k, alpha*, A, Atype, lda, B, Btype, ldb, beta*, C, Ctype, ldc, computeType, algo)
        gemmEx = downcall(lib, "cublasGemmEx", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        try {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            check("cublasCreate", (int) create.invokeExact(out));
            handle = out.get(ValueLayout.ADDRESS, 0);
            check("cublasSetStream", (int) setStream.invokeExact(handle, MemorySegment.ofAddress(JCudaDevice.address(device.stream()))));
        } catch (Throwable t) {
            throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
        }
    }

    /** The library: {@value #OVERRIDE} if set, else the first of the known folders holding it, else the bare soname. */
    static Path library() {
        String override = System.getenv(OVERRIDE);
        if (override != null) {
            return Path.of(override);
        }
        List<String> tried = new ArrayList<>();
        for (String folder : FOLDERS) {
            for (String soname : SONAMES) {
                Path p = Path.of(folder, soname);
                if (Files.exists(p)) {
                    return p;
                }
                tried.add(p.toString());
            }
        }
        Optional<Path> onPath = SONAMES.stream().map(Path::of).findFirst();
        return onPath.orElseThrow(() -> new IllegalStateException("cuBLAS not found (tried " + tried + ")"));
    }

    private static MethodHandle downcall(SymbolLookup lib, String name, FunctionDescriptor d) {
        return LINKER.downcallHandle(lib.find(name).orElseThrow(() -> new IllegalStateException("cuBLAS has no " + name)), d);
    }

    private static void check(String call, int status) {
        if (status != 0) {
            throw new IllegalStateException(call + " failed with cublasStatus_t " + status);
        }
    }

    /** C (m, n) = A (m, k) · B (k, n), float32 row-major with float32 accumulation, queued on the device's stream. */
    public void sgemm(DeviceBuffer a, DeviceBuffer b, DeviceBuffer c, int m, int n, int k) {
        sgemm(false, false, a, b, c, m, n, k);
    }

    /** The same with op(A) = Aᵀ for {@code transA} (A stored (k, m)) and likewise B (stored (n, k)). */
    public void sgemm(boolean transA, boolean transB, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c, int m, int n, int k) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment one = call.allocateFrom(ValueLayout.JAVA_FLOAT, 1f);
            MemorySegment zero = call.allocateFrom(ValueLayout.JAVA_FLOAT, 0f);
            // column-major Cᵀ (n, m) = op(B)ᵀ (n, k) · op(A)ᵀ (k, m): the row-major buffers read as their transposes
            check("cublasGemmEx", (int) gemmEx.invokeExact(handle, transB ? CUBLAS_OP_T : CUBLAS_OP_N, transA ? CUBLAS_OP_T : CUBLAS_OP_N,
                    n, m, k, one, b.address(), CUDA_R_32F, transB ? k : n, a.address(), CUDA_R_32F, transA ? m : k, zero, c.address(),
                    CUDA_R_32F, n, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void close() {
        try {
            check("cublasDestroy", (int) destroy.invokeExact(handle));
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            arena.close();
        }
    }
}

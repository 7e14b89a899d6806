package io.stipple.tensor.cuda.device;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Method;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

/**
 * A GPU through JCuda's driver API: the device's primary context (shared with cuBLAS and anything
 * else in the process), one stream on which every copy and launch is queued in order, and the
 * kernels from the fatbin nvcc built ({@code /cuda/stipple_kernels.fatbin} on the class path).
 */
public final class JCudaDevice implements CudaDevice {
    static final String FATBIN_RESOURCE = "/cuda/stipple_kernels.fatbin";
    /** NativePointerObject keeps the raw address in a field only its own natives read; this reads it. */
    private static final Method NATIVE_POINTER;

    static {
        try {
            NATIVE_POINTER = NativePointerObject.class.getDeclaredMethod("getNativePointer");
            NATIVE_POINTER.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int ordinal;
    private final CUdevice device;
    private final CUcontext context;
    private final CUstream stream;
    private final CUmodule module;
    private final Map<Kernel, CUfunction> functions = new EnumMap<>(Kernel.class);
    /** Each allocation by its start address: a slice is looked up as the allocation at or below it. */
    private final ConcurrentSkipListMap<Long, Allocation> allocations = new ConcurrentSkipListMap<>();

    private record Allocation(CUdeviceptr pointer, long bytes) {}
    private Cublas cublas; // made on first use: a device may only run kernels

    private JCudaDevice(int ordinal, CUdevice device, CUcontext context, CUstream stream, CUmodule module) {
        this.ordinal = ordinal;
        this.device = device;
        this.context = context;
        this.stream = stream;
        this.module = module;
        for (Kernel k : Kernel.values()) {
            CUfunction f = new CUfunction();
            JCudaDriver.cuModuleGetFunction(f, module, k.symbol());
            functions.put(k, f);
        }
    }

    /**
     * Opens GPU {@code ordinal}.
     *
     * @throws IllegalStateException when this build has no GPU kernels (it was built without nvcc)
     * @throws jcuda.CudaException when the driver has no such device or cannot load the kernels
     */
    public static JCudaDevice open(int ordinal) {
        byte[] fatbin = fatbin();
        JCudaDriver.setExceptionsEnabled(true);
        JCudaDriver.cuInit(0);
        CUdevice device = new CUdevice();
        JCudaDriver.cuDeviceGet(device, ordinal);
        CUcontext context = new CUcontext();
        JCudaDriver.cuDevicePrimaryCtxRetain(context, device);
        JCudaDriver.cuCtxSetCurrent(context);
        CUstream stream = new CUstream();
        JCudaDriver.cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING);
        CUmodule module = new CUmodule();
        JCudaDriver.cuModuleLoadData(module, fatbin);
        return new JCudaDevice(ordinal, device, context, stream, module);
    }

    private static byte[] fatbin() {
        try (InputStream in = JCudaDevice.class.getResourceAsStream(FATBIN_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("cuda: this build has no GPU kernels (" + FATBIN_RESOURCE
                        + " is missing: tensor-cuda compiles them with nvcc where /usr/local/bin/nvcc exists)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "cuda:" + ordinal;
    }

    /** The context and stream every call uses, for libraries that must share them (cuBLAS). */
    public CUcontext context() {
        return context;
    }

    public CUstream stream() {
        return stream;
    }

    /** The raw address of a JCuda handle (a stream for cublasSetStream through FFM, a device pointer). */
    public static long address(NativePointerObject handle) {
        try {
            return (long) NATIVE_POINTER.invoke(handle);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read a JCuda handle's address", e);
        }
    }

    /** Full blocks, and enough of them to fill an H100's or H200's 132 multiprocessors several times over. */
    @Override
    public LaunchLimits launchLimits() {
        return new LaunchLimits(Kernel.BLOCK, 4096);
    }

    @Override
    public DeviceBuffer allocate(long bytes) {
        JCudaDriver.cuCtxSetCurrent(context);
        CUdeviceptr p = new CUdeviceptr();
        JCudaDriver.cuMemAlloc(p, Math.max(bytes, 1));
        long address = address(p);
        allocations.put(address, new Allocation(p, bytes));
        return new DeviceBuffer(address, bytes);
    }

    @Override
    public void free(DeviceBuffer buffer) {
        Allocation a = allocations.remove(buffer.address());
        if (a == null) {
            throw new IllegalStateException("free of a buffer this device does not hold (freed twice? a slice?): " + buffer);
        }
        CUdeviceptr p = a.pointer();
        JCudaDriver.cuCtxSetCurrent(context);
        JCudaDriver.cuStreamSynchronize(stream); // a queued launch may still read it
        JCudaDriver.cuMemFree(p);
    }

    @Override
    public void copyToDevice(MemorySegment src, DeviceBuffer dst) {
        CUdeviceptr p = held(dst, src.byteSize());
        JCudaDriver.cuCtxSetCurrent(context);
        JCudaDriver.cuMemcpyHtoDAsync(p, host(src), src.byteSize(), stream);
        JCudaDriver.cuStreamSynchronize(stream); // the host memory may be reused as soon as this returns
    }

    @Override
    public void copyToHost(DeviceBuffer src, MemorySegment dst) {
        CUdeviceptr p = held(src, dst.byteSize());
        JCudaDriver.cuCtxSetCurrent(context);
        JCudaDriver.cuMemcpyDtoHAsync(host(dst), p, dst.byteSize(), stream);
        JCudaDriver.cuStreamSynchronize(stream);
    }

    @Override
    public void launch(Kernel kernel, Dim3 grid, Dim3 block, KernelArg... args) {
        Pointer[] values = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            values[i] = switch (args[i]) {
                case KernelArg.Pointer p -> Pointer.to(new long[] {p.buffer() == null ? 0 : p.buffer().address()});
                case KernelArg.Int v -> Pointer.to(new int[] {v.value()});
                case KernelArg.Long v -> Pointer.to(new long[] {v.value()});
                case KernelArg.Float v -> Pointer.to(new float[] {v.value()});
                case KernelArg.Ints v -> Pointer.to(v.values());
            };
        }
        JCudaDriver.cuCtxSetCurrent(context);
        JCudaDriver.cuLaunchKernel(functions.get(kernel), grid.x(), grid.y(), grid.z(), block.x(), block.y(), block.z(), 0, stream,
                Pointer.to(values), null);
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c) {
        held(a, 0);
        held(b, 0);
        held(c, (long) m * n * 4);
        JCudaDriver.cuCtxSetCurrent(context);
        blas().sgemm(transA, transB, a, b, c, m, n, k);
    }

    private synchronized Cublas blas() {
        if (cublas == null) {
            cublas = new Cublas(this);
        }
        return cublas;
    }

    @Override
    public void synchronize() {
        JCudaDriver.cuCtxSetCurrent(context);
        JCudaDriver.cuStreamSynchronize(stream);
    }

    private CUdeviceptr held(DeviceBuffer b, long bytes) {
        var held = allocations.floorEntry(b.address());
        if (held == null || b.address() + b.bytes() > held.getKey() + held.getValue().bytes()) {
            throw new IllegalStateException("a buffer this device does not hold (freed?): " + b);
        }
        if (bytes > b.bytes()) {
            throw new IllegalArgumentException(bytes + " bytes into a buffer of " + b.bytes());
        }
        return held.getValue().pointer().withByteOffset(b.address() - held.getKey());
    }

    /** Host memory as JCuda takes it: a direct buffer for native memory, the array for heap memory. */
    private static Pointer host(MemorySegment s) {
        if (s.isNative()) {
            return Pointer.to(s.asByteBuffer());
        }
        Object base = s.heapBase().orElseThrow();
        Pointer p = switch (base) {
            case float[] a -> Pointer.to(a);
            case byte[] a -> Pointer.to(a);
            case short[] a -> Pointer.to(a);
            case int[] a -> Pointer.to(a);
            case long[] a -> Pointer.to(a);
            case double[] a -> Pointer.to(a);
            default -> throw new IllegalArgumentException("host memory backed by " + base.getClass().getSimpleName());
        };
        return p.withByteOffset(s.address()); // a heap segment's address is its offset into the array
    }

    @Override
    public void close() {
        if (cublas != null) {
            cublas.close();
        }
        JCudaDriver.cuCtxSetCurrent(context);
        JCudaDriver.cuStreamSynchronize(stream);
        allocations.values().forEach(a -> JCudaDriver.cuMemFree(a.pointer()));
        allocations.clear();
        JCudaDriver.cuModuleUnload(module);
        JCudaDriver.cuStreamDestroy(stream);
        JCudaDriver.cuDevicePrimaryCtxRelease(device);
    }
}

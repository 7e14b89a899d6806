package io.stipple.tensor.cuda.device;

import io.stipple.tensor.cpu.gemm.Gemm;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A CUDA device emulated on the host: "device" memory is native host memory, and a launch calls the
 * kernel compiled for the host from the same CUDA C source (see {@code cuda_emulation.h}), its
 * threads run as fibers. Launches are synchronous. For testing every kernel and every caller
 * without a GPU, not for speed: each CUDA thread is a fiber switch.
 */
public final class EmulatedDevice implements CudaDevice {
    /** The build puts the library here on the class path (tensor-cuda's pom compiles it with g++). */
    static final String LIBRARY_RESOURCE = "/native/libstipple_kernels_emulated.so";

    private static final Linker LINKER = Linker.nativeLinker();
    private static final FunctionDescriptor LAUNCH = FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS);

    private final Arena library = Arena.ofShared();
    private final Map<Kernel, MethodHandle> entries = new EnumMap<>(Kernel.class);
    /** Each allocation's arena by its start address: a slice is looked up as the allocation at or below it. */
    private final ConcurrentSkipListMap<Long, Allocation> allocations = new ConcurrentSkipListMap<>();

    private record Allocation(Arena arena, long bytes) {}

    /** @throws IllegalStateException when the emulated kernels were not built (no g++ at build time) */
    public EmulatedDevice() {
        Path file = extractLibrary();
        SymbolLookup symbols = SymbolLookup.libraryLookup(file, library);
        for (Kernel k : Kernel.values()) {
            MemorySegment entry = symbols.find("stipple_launch_" + k.symbol())
                    .orElseThrow(() -> new IllegalStateException("the emulated kernel library has no stipple_launch_" + k.symbol()));
            entries.put(k, LINKER.downcallHandle(entry, LAUNCH));
        }
    }

    private static Path extractLibrary() {
        try (InputStream in = EmulatedDevice.class.getResourceAsStream(LIBRARY_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("cuda-emulated: the emulated kernels are not in this build (" + LIBRARY_RESOURCE
                        + " is missing: tensor-cuda compiles them with g++ when it is installed)");
            }
            Path tmp = Files.createTempFile("stipple-kernels-", ".so");
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        } catch (IOException e) {
            throw new UncheckedIOException("cuda-emulated: cannot extract the emulated kernels", e);
        }
    }

    @Override
    public String name() {
        return "cuda-emulated";
    }

    /** One warp a block and a few blocks: every CUDA thread is a fiber, and grid-stride loops cover any size. */
    @Override
    public LaunchLimits launchLimits() {
        return new LaunchLimits(32, 4);
    }

    @Override
    public DeviceBuffer allocate(long bytes) {
        Arena arena = Arena.ofShared();
        MemorySegment s = arena.allocate(Math.max(bytes, 1), 256); // cudaMalloc aligns to 256 bytes
        allocations.put(s.address(), new Allocation(arena, bytes));
        return new DeviceBuffer(s.address(), bytes);
    }

    @Override
    public void free(DeviceBuffer buffer) {
        Allocation a = allocations.remove(buffer.address());
        if (a == null) {
            throw new IllegalStateException("free of a buffer this device does not hold (freed twice? a slice?): " + buffer);
        }
        a.arena().close();
    }

    @Override
    public void copyToDevice(MemorySegment src, DeviceBuffer dst) {
        requireHeld(dst, src.byteSize());
        MemorySegment.copy(src, 0, segment(dst), 0, src.byteSize());
    }

    @Override
    public void copyToHost(DeviceBuffer src, MemorySegment dst) {
        requireHeld(src, dst.byteSize());
        MemorySegment.copy(segment(src), 0, dst, 0, dst.byteSize());
    }

    @Override
    public void launch(Kernel kernel, Dim3 grid, Dim3 block, KernelArg... args) {
        try (Arena call = Arena.ofConfined()) {
            // cuLaunchKernel's convention: an array holding a pointer to each argument's value
            MemorySegment pointers = call.allocate(ValueLayout.ADDRESS, Math.max(args.length, 1));
            for (int i = 0; i < args.length; i++) {
                pointers.setAtIndex(ValueLayout.ADDRESS, i, value(call, args[i]));
            }
            entries.get(kernel).invokeExact(grid.x(), grid.y(), grid.z(), block.x(), block.y(), block.z(), pointers);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cuda-emulated: launching " + kernel.symbol() + " failed", t);
        }
    }

    private MemorySegment value(Arena call, KernelArg arg) {
        return switch (arg) {
            case KernelArg.Pointer p -> {
                if (p.buffer() != null) {
                    requireHeld(p.buffer(), 0);
                }
                yield call.allocateFrom(ValueLayout.JAVA_LONG, p.buffer() == null ? 0 : p.buffer().address());
            }
            case KernelArg.Int i -> call.allocateFrom(ValueLayout.JAVA_INT, i.value());
            case KernelArg.Long l -> call.allocateFrom(ValueLayout.JAVA_LONG, l.value());
            case KernelArg.Float f -> call.allocateFrom(ValueLayout.JAVA_FLOAT, f.value());
            case KernelArg.Ints v -> call.allocateFrom(ValueLayout.JAVA_INT, v.values());
        };
    }

    /** The host's GEMM over copies: the emulated device checks callers, it is not meant to be fast. */
    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c) {
        float[] ha = floats(a, (long) m * k);
        float[] hb = floats(b, (long) k * n);
        float[] hc = new float[Math.multiplyExact(m, n)];
        Gemm.best().sgemm(transA, transB, m, n, k, 1f, ha, 0, transA ? m : k, hb, 0, transB ? k : n, 0f, hc, 0, n);
        copyToDevice(MemorySegment.ofArray(hc), c);
    }

    private float[] floats(DeviceBuffer b, long count) {
        float[] out = new float[Math.toIntExact(count)];
        copyToHost(b, MemorySegment.ofArray(out));
        return out;
    }

    @Override
    public void synchronize() {
        // launches ran to the end before they returned
    }

    private void requireHeld(DeviceBuffer b, long bytes) {
        var held = allocations.floorEntry(b.address());
        if (held == null || b.address() + b.bytes() > held.getKey() + held.getValue().bytes()) {
            throw new IllegalStateException("a buffer this device does not hold (freed?): " + b);
        }
        if (bytes > b.bytes()) {
            throw new IllegalArgumentException(bytes + " bytes into a buffer of " + b.bytes());
        }
    }

    private static MemorySegment segment(DeviceBuffer b) {
        return MemorySegment.ofAddress(b.address()).reinterpret(b.bytes());
    }

    @Override
    public void close() {
        allocations.values().forEach(a -> a.arena().close());
        allocations.clear();
        library.close();
    }
}

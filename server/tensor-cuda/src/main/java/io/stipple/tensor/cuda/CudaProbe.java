package io.stipple.tensor.cuda;

import java.util.List;
import java.util.ArrayList;
import jcuda.CudaException;
import jcuda.driver.CUdevice;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * Finds out whether a usable NVIDIA GPU is here, and if not, why not: the driver library missing,
 * no device, or an initialisation error. Loads JCuda's native library only when called.
 */
public final class CudaProbe {
    private CudaProbe() {}

    /** One GPU as the driver reports it. */
    public record Device(int index, String name, int computeMajor, int computeMinor, long memoryBytes) {
        @Override
        public String toString() {
            return "cuda:" + index + " " + name + " (sm_" + computeMajor + computeMinor + ", "
                    + (memoryBytes >> 20) + " MiB)";
        }
    }

    /** The outcome: devices found, or the reason there are none. */
    public sealed interface Result permits Available, Unavailable {}

    public record Available(String driverVersion, List<Device> devices) implements Result {}

    public record Unavailable(String reason) implements Result {}

    public static Result probe() {
        String driver = driverLibraryProblem();
        if (driver != null) {
            return new Unavailable(driver);
        }
        try {
            JCudaDriver.setExceptionsEnabled(false);
            int rc = JCudaDriver.cuInit(0);
            if (rc != CUresult.CUDA_SUCCESS) {
                return new Unavailable(rc == CUresult.CUDA_ERROR_NO_DEVICE
                        ? "the NVIDIA driver reports no CUDA device"
                        : "cuInit failed: " + CUresult.stringFor(rc));
            }
            int[] count = new int[1];
            JCudaDriver.cuDeviceGetCount(count);
            if (count[0] == 0) {
                return new Unavailable("the NVIDIA driver reports no CUDA device");
            }
            int[] version = new int[1];
            JCudaDriver.cuDriverGetVersion(version);
            List<Device> devices = new ArrayList<>();
            for (int i = 0; i < count[0]; i++) {
                devices.add(describe(i));
            }
            return new Available(version[0] / 1000 + "." + (version[0] % 1000) / 10, devices);
        } catch (UnsatisfiedLinkError e) {
            return new Unavailable("the NVIDIA driver library (libcuda.so.1) or JCuda's native library could not be loaded: "
                    + firstLine(e.getMessage()));
        } catch (CudaException | LinkageError | SecurityException e) {
            return new Unavailable("CUDA initialisation failed: " + firstLine(e.getMessage()));
        }
    }

    /** Null when the driver library loads; otherwise why not (checked first: JCuda's own error hides it). */
    private static String driverLibraryProblem() {
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.SymbolLookup.libraryLookup("libcuda.so.1", arena);
            return null;
        } catch (IllegalArgumentException e) {
            return "no NVIDIA driver here: libcuda.so.1 cannot be loaded (is this a machine with an NVIDIA GPU "
                    + "and its driver? on a container, is the driver mounted and on LD_LIBRARY_PATH?)";
        } catch (IllegalCallerException e) {
            return "native access is disabled: run Java with --enable-native-access=ALL-UNNAMED";
        }
    }

    private static Device describe(int index) {
        CUdevice device = new CUdevice();
        JCudaDriver.cuDeviceGet(device, index);
        byte[] name = new byte[256];
        JCudaDriver.cuDeviceGetName(name, name.length, device);
        int[] major = new int[1];
        int[] minor = new int[1];
        JCudaDriver.cuDeviceGetAttribute(major, jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device);
        JCudaDriver.cuDeviceGetAttribute(minor, jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device);
        long[] memory = new long[1];
        JCudaDriver.cuDeviceTotalMem(memory, device);
        int end = 0;
        while (end < name.length && name[end] != 0) {
            end++;
        }
        return new Device(index, new String(name, 0, end, java.nio.charset.StandardCharsets.US_ASCII), major[0], minor[0], memory[0]);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}

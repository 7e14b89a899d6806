package io.stipple.tensor.cuda.device;

/**
 * How the host sizes launches on a device. {@code threads}: the block of the grid-stride, row and
 * group kernels (a multiple of the warp size, at most {@link Kernel#BLOCK}); {@code maxBlocks}: the
 * most blocks a grid-stride loop is given (the loop covers the rest). A GPU wants enough blocks to
 * fill every multiprocessor; the emulated device wants few threads, each a fiber.
 */
public record LaunchLimits(int threads, int maxBlocks) {
    public LaunchLimits {
        if (threads < 32 || threads % 32 != 0 || threads > Kernel.BLOCK || maxBlocks < 1) {
            throw new IllegalArgumentException("launch limits of " + threads + " threads and " + maxBlocks
                    + " blocks (expected: threads a multiple of 32 up to " + Kernel.BLOCK + ", at least one block)");
        }
    }

    /** The grid of a grid-stride loop over {@code n} elements: enough blocks for one element a thread, at most {@link #maxBlocks}. */
    public Dim3 gridFor(long n) {
        long blocks = (n + threads - 1) / threads;
        return Dim3.of((int) Math.max(1, Math.min(blocks, maxBlocks)));
    }

    public Dim3 block() {
        return Dim3.of(threads);
    }
}

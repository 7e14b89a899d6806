package io.stipple.format.ckpt;

/**
 * How much a checkpoint may ask of the reader before it is refused. The defaults hold every real
 * Stable Diffusion checkpoint with a wide margin (SDXL's state dict is about 2,500 tensors and a
 * 300 KB pickle) while keeping what a hostile file can make the reader allocate to about 80 MB of
 * heap (the pickle budget's estimates are generous; the tests refuse their whole hostile corpus,
 * memory bombs included, in a JVM of 128 MB).
 *
 * @param maxPickleHeapBytes   estimated heap the pickle's objects (values, strings, memo, stack) may take
 * @param maxStackEntries      values on the pickle stack, all MARK levels together
 * @param maxMarkDepth         MARKs open at once
 * @param maxValueDepth        containers nested in containers
 * @param maxStringBytes       one string or bytes value
 * @param maxZipEntries        entries in the zip's central directory
 * @param maxInflatedPickle    a compressed {@code data.pkl} once inflated
 * @param maxDictNesting       state-dict levels flattened into dotted names
 * @param maxTensorRank        dimensions of one tensor
 * @param maxTensors           tensors in one checkpoint (with the names reached through shared dicts)
 */
public record CkptLimits(
        long maxPickleHeapBytes,
        int maxStackEntries,
        int maxMarkDepth,
        int maxValueDepth,
        int maxStringBytes,
        int maxZipEntries,
        long maxInflatedPickle,
        int maxDictNesting,
        int maxTensorRank,
        int maxTensors) {

    public static final CkptLimits DEFAULT = new CkptLimits(
            128L << 20, 1 << 20, 1_000, 1_000, 16 << 20, 1 << 18, 64L << 20, 32, 64, 1 << 20);

    public CkptLimits withMaxZipEntries(int n) {
        return new CkptLimits(maxPickleHeapBytes, maxStackEntries, maxMarkDepth, maxValueDepth, maxStringBytes,
                n, maxInflatedPickle, maxDictNesting, maxTensorRank, maxTensors);
    }
}

package io.stipple.format.ckpt;

/**
 * The heap a pickle's objects are estimated to take, charged as they are made and refused past the
 * limit. The estimates are deliberately generous (object headers, map entries, two bytes a char), so
 * the real heap stays below the limit; one budget spans every pickle of a file.
 */
final class PickleBudget {
    static final long OBJECT = 32;
    static final long MAP_ENTRY = 64;
    /** A dict's map and table, made with its first entry. */
    static final long MAP = 192;
    static final long REFERENCE = 16;

    private final long limit;
    private long used;

    PickleBudget(long limit) {
        this.limit = limit;
    }

    void charge(long bytes) {
        used += bytes;
        if (used > limit) {
            throw new FormatProblem("pickle builds more than " + (limit >> 20) + " MiB of objects (expected: a state dict;"
                    + " the limit is CkptLimits.maxPickleHeapBytes)");
        }
    }

    long used() {
        return used;
    }
}

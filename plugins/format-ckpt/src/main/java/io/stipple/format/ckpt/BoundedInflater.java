package io.stipple.format.ckpt;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates a deflated zip entry (a re-zipped checkpoint's {@code data.pkl}) without trusting its
 * sizes: the output grows only as bytes really come out, and stops at the smaller of the size the
 * directory declares and a hard limit, so a zip bomb costs at most that limit.
 */
final class BoundedInflater {
    private BoundedInflater() {}

    static byte[] inflate(String name, MemorySegment compressed, long declaredSize, long limit) {
        if (declaredSize > limit) {
            throw new FormatProblem(name + " inflates to " + declaredSize + " bytes (expected: at most " + limit + ")");
        }
        if (compressed.byteSize() > limit) {
            throw new FormatProblem(name + " holds " + compressed.byteSize() + " compressed bytes (expected: at most "
                    + limit + ")");
        }
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(compressed.asByteBuffer());
            byte[] out = new byte[(int) Math.min(declaredSize, 1 << 16)];
            int n = 0;
            while (!inflater.finished()) {
                if (n == out.length) {
                    if (n >= declaredSize) {
                        // One byte more than declared is enough to know the directory lies.
                        byte[] probe = new byte[1];
                        if (inflater.inflate(probe) > 0) {
                            throw new FormatProblem(name + " inflates past its declared " + declaredSize + " bytes");
                        }
                        if (inflater.finished()) {
                            break;
                        }
                        throw new FormatProblem(name + ": deflate stream truncated or damaged");
                    }
                    out = Arrays.copyOf(out, (int) Math.min(declaredSize, (long) out.length * 2));
                }
                int got = inflater.inflate(out, n, out.length - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new FormatProblem(name + ": deflate stream truncated or damaged");
                }
                n += got;
            }
            if (n != declaredSize) {
                throw new FormatProblem(name + " inflates to " + n + " bytes (expected: the declared " + declaredSize + ")");
            }
            return out.length == n ? out : Arrays.copyOf(out, n);
        } catch (DataFormatException e) {
            throw new FormatProblem(name + ": deflate stream damaged (" + e.getMessage() + ")");
        } finally {
            inflater.end();
        }
    }
}

package io.stipple.format.ckpt;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads a pickle's bytes in order from a memory segment (a slice of the mapped file, or an inflated
 * copy). Every read is checked against the end first, so a declared length can never make the
 * reader allocate or read more than the bytes that are there.
 */
final class PickleInput {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64_BE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final MemorySegment data;
    private long pos;

    PickleInput(MemorySegment data, long start) {
        this.data = data;
        this.pos = start;
    }

    long position() {
        return pos;
    }

    long remaining() {
        return data.byteSize() - pos;
    }

    private long take(long n) {
        if (n < 0 || n > remaining()) {
            throw new FormatProblem("pickle truncated: needs " + n + " bytes at offset " + pos + ", " + remaining() + " left");
        }
        long at = pos;
        pos += n;
        return at;
    }

    int u8() {
        return data.get(ValueLayout.JAVA_BYTE, take(1)) & 0xff;
    }

    int u16() {
        return data.get(U16, take(2)) & 0xffff;
    }

    int i32() {
        return data.get(I32, take(4));
    }

    long u32() {
        return data.get(I32, take(4)) & 0xffffffffL;
    }

    long i64() {
        return data.get(I64, take(8));
    }

    double f64BigEndian() {
        return data.get(F64_BE, take(8));
    }

    void skip(long n) {
        take(n);
    }

    /** {@code n} bytes, refused before any allocation if the pickle is shorter or {@code n} exceeds {@code max}. */
    byte[] bytes(long n, int max) {
        if (n < 0 || n > max) {
            throw new FormatProblem("pickle string or number of " + n + " bytes at offset " + pos + " (expected: at most " + max + ")");
        }
        long at = take(n);
        return data.asSlice(at, n).toArray(ValueLayout.JAVA_BYTE);
    }

    String utf8(long n, int max) {
        return new String(bytes(n, max), StandardCharsets.UTF_8);
    }

    /** A newline-terminated ASCII line (GLOBAL's operands), without the newline. */
    String line(int max) {
        long start = pos;
        long limit = Math.min(data.byteSize(), start + max + 1);
        for (long i = start; i < limit; i++) {
            if (data.get(ValueLayout.JAVA_BYTE, i) == '\n') {
                byte[] b = data.asSlice(start, i - start).toArray(ValueLayout.JAVA_BYTE);
                pos = i + 1;
                return new String(b, StandardCharsets.UTF_8);
            }
        }
        throw new FormatProblem("pickle GLOBAL operand at offset " + start + " has no newline within " + max + " bytes");
    }
}

package io.stipple.tensor.cpu;

import io.stipple.tensor.Shape;
import io.stipple.tensor.UnaryOp;
import io.stipple.tensor.rules.Broadcast;

/** Elementwise kernels: binary operations with numpy broadcasting, and the unary functions. */
final class Elementwise {

    enum Binary { ADD, SUB, MUL, DIV }

    private Elementwise() {}

    static float[] binary(FloatPool pool, Binary op, float[] a, Shape sa, float[] b, Shape sb, Shape out) {
        float[] r = pool.take(out.size());
        if (sa.equals(sb)) {
            Parallel.forRange(r.length, 1, (from, to) -> same(op, a, b, r, from, to));
        } else if (b.length == 1) {
            float s = b[0];
            Parallel.forRange(r.length, 1, (from, to) -> scalarRight(op, a, s, r, from, to));
        } else {
            general(op, a, sa, b, sb, r, out);
        }
        return r;
    }

    private static void same(Binary op, float[] a, float[] b, float[] r, int from, int to) {
        switch (op) {
            case ADD -> { for (int i = from; i < to; i++) r[i] = a[i] + b[i]; }
            case SUB -> { for (int i = from; i < to; i++) r[i] = a[i] - b[i]; }
            case MUL -> { for (int i = from; i < to; i++) r[i] = a[i] * b[i]; }
            case DIV -> { for (int i = from; i < to; i++) r[i] = a[i] / b[i]; }
        }
    }

    private static void scalarRight(Binary op, float[] a, float s, float[] r, int from, int to) {
        switch (op) {
            case ADD -> { for (int i = from; i < to; i++) r[i] = a[i] + s; }
            case SUB -> { for (int i = from; i < to; i++) r[i] = a[i] - s; }
            case MUL -> { for (int i = from; i < to; i++) r[i] = a[i] * s; }
            case DIV -> { for (int i = from; i < to; i++) r[i] = a[i] / s; }
        }
    }

    /**
     * Any broadcast: walks the output in row-major order over its innermost dimension, with the
     * strides of a and b set to 0 along broadcast dimensions.
     */
    private static void general(Binary op, float[] a, Shape sa, float[] b, Shape sb, float[] r, Shape out) {
        int rank = out.rank();
        int[] dims = out.dims();
        int[] strideA = Broadcast.strides(sa, dims);
        int[] strideB = Broadcast.strides(sb, dims);
        int inner = rank == 0 ? 1 : dims[rank - 1];
        int innerA = rank == 0 ? 0 : strideA[rank - 1];
        int innerB = rank == 0 ? 0 : strideB[rank - 1];
        int rows = inner == 0 ? 0 : r.length / inner;
        Parallel.forRange(rows, inner, (from, to) -> {
            int[] idx = new int[rank];
            for (int row = from; row < to; row++) {
                int rem = row;
                int offA = 0;
                int offB = 0;
                for (int d = rank - 2; d >= 0; d--) {
                    idx[d] = rem % dims[d];
                    rem /= dims[d];
                    offA += idx[d] * strideA[d];
                    offB += idx[d] * strideB[d];
                }
                int o = row * inner;
                for (int j = 0; j < inner; j++) {
                    float x = a[offA + j * innerA];
                    float y = b[offB + j * innerB];
                    r[o + j] = switch (op) {
                        case ADD -> x + y;
                        case SUB -> x - y;
                        case MUL -> x * y;
                        case DIV -> x / y;
                    };
                }
            }
        });
    }

    static float[] unary(FloatPool pool, UnaryOp op, float[] a) {
        float[] r = pool.take(a.length);
        Parallel.forRange(a.length, 8, (from, to) -> {
            switch (op) {
                case SILU -> VectorMath.sigmoidGate(a, r, from, to, 1f);
                case QUICK_GELU -> VectorMath.sigmoidGate(a, r, from, to, 1.702f);
                case GELU -> VectorMath.gelu(a, r, from, to);
                default -> {
                    for (int i = from; i < to; i++) {
                        r[i] = apply(op, a[i]);
                    }
                }
            }
        });
        return r;
    }

    static float apply(UnaryOp op, float x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case SQUARE -> x * x;
            case SIN -> (float) Math.sin(x);
            case COS -> (float) Math.cos(x);
            case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-x)));
            case SILU -> (float) (x / (1.0 + Math.exp(-x)));
            case GELU -> gelu(x);
            case GELU_TANH -> (float) (0.5 * x * (1.0 + Math.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x))));
            case QUICK_GELU -> (float) (x / (1.0 + Math.exp(-1.702 * x)));
        };
    }

    static float gelu(float x) {
        return (float) (0.5 * x * (1.0 + Erf.erf(x * 0.7071067811865476)));
    }
}

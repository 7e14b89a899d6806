package io.stipple.tensor.cpu.gemm;

import static io.stipple.tensor.testing.TensorAssert.assertClose;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every GEMM against the naive one, over transposes, odd sizes, strides, offsets, alpha and beta. */
class GemmTest {

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        int[][] sizes = {{1, 1, 1}, {3, 5, 7}, {17, 33, 9}, {64, 64, 64}, {5, 200, 300}, {130, 3, 70}};
        for (String impl : new String[] {"java", "openblas"}) {
            for (int[] s : sizes) {
                for (int t = 0; t < 4; t++) {
                    b.add(Arguments.of(impl, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0));
                }
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} m={1} n={2} k={3} transA={4} transB={5}")
    @MethodSource("cases")
    void matchesNaive(String impl, int m, int n, int k, boolean transA, boolean transB) {
        Gemm gemm = switch (impl) {
            case "java" -> new VectorGemm();
            default -> {
                var blas = OpenBlasGemm.load();
                Assumptions.assumeTrue(blas.isPresent(), "OpenBLAS not installed");
                yield blas.get();
            }
        };
        Random rnd = new Random(m * 31L + n * 7L + k);
        int lda = (transA ? m : k) + 3;
        int ldb = (transB ? k : n) + 2;
        int ldc = n + 5;
        int aOff = 4;
        int bOff = 1;
        int cOff = 2;
        float[] a = random(rnd, aOff + (transA ? k : m) * lda);
        float[] b = random(rnd, bOff + (transB ? n : k) * ldb);
        float[] c = random(rnd, cOff + m * ldc);
        float[] expected = c.clone();
        new NaiveGemm().sgemm(transA, transB, m, n, k, 0.75f, a, aOff, lda, b, bOff, ldb, 0.5f, expected, cOff, ldc);
        gemm.sgemm(transA, transB, m, n, k, 0.75f, a, aOff, lda, b, bOff, ldb, 0.5f, c, cOff, ldc);
        assertClose(gemm.name(), expected, c, 1e-4 * Math.sqrt(k));
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"java", "openblas"})
    void emptyInnerDimensionScalesC(String impl) {
        // k = 0 (attention over no keys): A and B are empty arrays, addressed at offsets past their end
        Gemm gemm = impl.equals("java") ? new VectorGemm() : OpenBlasGemm.load().orElse(null);
        Assumptions.assumeTrue(gemm != null, "OpenBLAS not installed");
        float[] c = {1, 2, 3, 4, 5, 6, 7};
        gemm.sgemm(false, false, 2, 2, 0, 1f, new float[0], 4, 0, new float[0], 4, 3, 0.5f, c, 1, 3);
        assertClose(gemm.name(), new float[] {1, 1, 1.5f, 4, 2.5f, 3, 7}, c, 0);
    }

    private static float[] random(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }
}

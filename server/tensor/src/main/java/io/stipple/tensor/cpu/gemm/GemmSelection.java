package io.stipple.tensor.cpu.gemm;

import java.lang.System.Logger.Level;

/** Picks the GEMM once per process and says which in the log. */
final class GemmSelection {
    private static final System.Logger LOG = System.getLogger(GemmSelection.class.getName());

    static final Gemm BEST = choose();

    private GemmSelection() {}

    private static Gemm choose() {
        String forced = System.getProperty("stipple.gemm", System.getenv().getOrDefault("STIPPLE_GEMM", "auto"));
        if (forced.equals("java")) {
            LOG.log(Level.INFO, "GEMM: Java Vector API (stipple.gemm=java)");
            return new VectorGemm();
        }
        var blas = OpenBlasGemm.load();
        if (blas.isPresent()) {
            LOG.log(Level.INFO, "GEMM: " + blas.get().name());
            return blas.get();
        }
        if (forced.equals("openblas")) {
            throw new IllegalStateException("stipple.gemm=openblas but OpenBLAS could not be loaded: " + OpenBlasGemm.lastFailure());
        }
        LOG.log(Level.WARNING, "GEMM: OpenBLAS not found (" + OpenBlasGemm.lastFailure()
                + "); using the slower Java Vector API GEMM. Install libopenblas0-pthread for full speed.");
        return new VectorGemm();
    }
}

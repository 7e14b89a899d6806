package io.stipple.app.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.stipple.tensor.Ops;
import io.stipple.tensor.cpu.CpuOps;

/** The CPU backend: float32, OpenBLAS (or the Java Vector API GEMM) and parallel loops. */
public final class CpuBackendModule extends AbstractModule {
    @Provides
    @Singleton
    Ops ops() {
        return new CpuOps();
    }
}

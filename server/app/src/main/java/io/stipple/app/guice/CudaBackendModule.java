package io.stipple.app.guice;

import com.google.inject.AbstractModule;
import io.stipple.tensor.Ops;

/** The CUDA backend, opened by the composition root (on a GPU, or on the emulated device) before the injector is made. */
public final class CudaBackendModule extends AbstractModule {
    private final Ops ops;

    public CudaBackendModule(Ops ops) {
        this.ops = ops;
    }

    public Ops ops() {
        return ops;
    }

    @Override
    protected void configure() {
        bind(Ops.class).toInstance(ops);
    }
}

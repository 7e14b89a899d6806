package io.stipple.app;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import io.stipple.app.config.Backend;
import io.stipple.app.config.ServerConfig;
import io.stipple.app.guice.ConfigModule;
import io.stipple.app.guice.CpuBackendModule;
import io.stipple.app.guice.CudaBackendModule;
import io.stipple.app.guice.GrpcModule;
import io.stipple.app.guice.MetricsModule;
import io.stipple.app.guice.ModelModule;
import io.stipple.app.guice.PluginModule;
import io.stipple.tensor.Ops;
import io.stipple.tensor.cuda.CudaBackends;
import io.stipple.tensor.cuda.CudaProbe;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The composition root: chooses the modules (the backend among them) for a configuration and
 * builds the server. No module decides anything at configure time.
 */
public final class Main {
    private static final System.Logger LOG = System.getLogger(Main.class.getName());

    private Main() {}

    /**
     * @throws BackendUnavailableException when CUDA is required and cannot be used
     */
    public static StippleServer server(ServerConfig config) {
        Module backend = backendModule(config.backend(), CudaProbe.probe(), Main::openGpu, CudaBackends::emulated);
        Injector injector = Guice.createInjector(List.of(new ConfigModule(config), backend, new PluginModule(),
                new ModelModule(), new GrpcModule(), new MetricsModule()));
        return injector.getInstance(StippleServer.class);
    }

    private static Ops openGpu(CudaProbe.Available gpu) {
        return CudaBackends.gpu();
    }

    /**
     * The backend's module. {@code gpu} opens the CUDA backend once the probe found a GPU; {@code emulated}
     * opens it on the emulated device. Either may throw {@link CudaBackends.UnavailableException}, whose
     * message says what is missing.
     */
    static Module backendModule(Backend requested, CudaProbe.Result probe, Function<CudaProbe.Available, Ops> gpu,
            Supplier<Ops> emulated) {
        return switch (requested) {
            case CPU -> new CpuBackendModule();
            case CUDA_EMULATED -> new CudaBackendModule(open(emulated::get));
            case CUDA -> switch (probe) {
                case CudaProbe.Unavailable u -> throw new BackendUnavailableException("--backend cuda: no usable GPU: " + u.reason());
                case CudaProbe.Available a -> new CudaBackendModule(open(() -> gpu.apply(a)));
            };
            case AUTO -> switch (probe) {
                case CudaProbe.Unavailable u -> {
                    LOG.log(Level.INFO, "backend auto: no usable GPU (" + u.reason() + "); using the CPU");
                    yield new CpuBackendModule();
                }
                case CudaProbe.Available a -> {
                    try {
                        Ops ops = gpu.apply(a);
                        LOG.log(Level.INFO, "backend auto: using " + ops.name() + " (" + a.devices().getFirst() + ")");
                        yield new CudaBackendModule(ops);
                    } catch (CudaBackends.UnavailableException e) {
                        LOG.log(Level.WARNING, "backend auto: found " + a.devices() + " but " + e.getMessage() + "; using the CPU");
                        yield new CpuBackendModule();
                    }
                }
            };
        };
    }

    /** Opens a CUDA backend; its refusal names the backend first ("cuda: ...", "cuda-emulated: ..."). */
    private static Ops open(Supplier<Ops> opener) {
        try {
            return opener.get();
        } catch (CudaBackends.UnavailableException e) {
            throw new BackendUnavailableException("--backend " + e.getMessage());
        }
    }
}

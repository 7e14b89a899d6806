package io.stipple.app;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import io.stipple.app.config.Backend;
import io.stipple.app.config.ServerConfig;
import io.stipple.app.guice.ConfigModule;
import io.stipple.app.guice.CpuBackendModule;
import io.stipple.app.guice.GrpcModule;
import io.stipple.app.guice.MetricsModule;
import io.stipple.app.guice.ModelModule;
import io.stipple.app.guice.PluginModule;
import io.stipple.tensor.cuda.CudaProbe;
import java.lang.System.Logger.Level;
import java.util.List;

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
        Module backend = backendModule(config.backend(), CudaProbe.probe());
        Injector injector = Guice.createInjector(List.of(new ConfigModule(config), backend, new PluginModule(),
                new ModelModule(), new GrpcModule(), new MetricsModule()));
        return injector.getInstance(StippleServer.class);
    }

    static Module backendModule(Backend requested, CudaProbe.Result gpu) {
        return switch (requested) {
            case CPU -> new CpuBackendModule();
            case CUDA -> throw new BackendUnavailableException(switch (gpu) {
                case CudaProbe.Unavailable u -> "--backend cuda: no usable GPU: " + u.reason();
                case CudaProbe.Available a -> "--backend cuda: found " + a.devices()
                        + ", but this build has no CUDA backend yet; use --backend cpu";
            });
            case AUTO -> {
                switch (gpu) {
                    case CudaProbe.Unavailable u -> LOG.log(Level.INFO, "backend auto: no usable GPU (" + u.reason() + "); using the CPU");
                    case CudaProbe.Available a -> LOG.log(Level.WARNING, "backend auto: found " + a.devices()
                            + ", but this build has no CUDA backend yet; using the CPU");
                }
                yield new CpuBackendModule();
            }
        };
    }
}

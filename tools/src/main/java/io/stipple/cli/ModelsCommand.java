package io.stipple.cli;

import io.stipple.proto.v1.ListModelsResponse;
import io.stipple.proto.v1.ModelInfo;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Lists the checkpoints, LoRAs and VAEs of the models folder (or of a server), and the samplers and schedulers.")
final class ModelsCommand implements Callable<Integer> {
    @Mixin
    RemoteOptions remote;

    @Mixin
    ServerOptions serverOptions;

    @Override
    public Integer call() {
        Logging.quiet();
        try (Connection c = Connection.open(remote, serverOptions)) {
            ListModelsResponse models = c.client().listModels();
            section("checkpoints", models.getCheckpointsList());
            section("loras", models.getLorasList());
            section("vae", models.getVaesList());
            var samplers = c.client().listSamplers();
            System.out.println("samplers: " + String.join(", ", samplers.getSamplersList().stream().map(s -> s.getName()).toList()));
            System.out.println("schedulers: " + String.join(", ", samplers.getSchedulersList().stream().map(s -> s.getName()).toList()));
        }
        return 0;
    }

    private static void section(String title, List<ModelInfo> infos) {
        System.out.println(title + ":");
        if (infos.isEmpty()) {
            System.out.println("  (none)");
        }
        for (ModelInfo m : infos) {
            System.out.printf("  %-60s %10s  %s%n", m.getName(), human(m.getSizeBytes()), m.getFormat());
            String card = card(m);
            if (!card.isEmpty()) {
                System.out.println("      " + card);
            }
        }
    }

    /** "title: description" from the file's metadata, or what there is of them. */
    static String card(ModelInfo m) {
        if (m.getTitle().isEmpty() || m.getDescription().isEmpty()) {
            return m.getTitle() + m.getDescription();
        }
        return m.getTitle() + ": " + m.getDescription();
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double v = bytes;
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}

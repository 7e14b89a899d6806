package io.stipple.cli;

import io.stipple.engine.detect.ModelArchitecture;
import io.stipple.engine.detect.ModelDetector;
import io.stipple.engine.detect.TextEncoderConfig;
import io.stipple.engine.detect.UnsupportedModelException;
import io.stipple.engine.weights.CheckpointParameters;
import io.stipple.engine.weights.WeightPolicy;
import io.stipple.plugin.api.CheckpointFormatException;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.cpu.CpuOps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Prints a model file's format, metadata, tensors (name, dtype, shape) and detected family. Reads no tensor data.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "A .safetensors or .ckpt file.")
    Path file;

    @Option(names = "--summary", description = "Only the summary, not every tensor.")
    boolean summary;

    @Option(names = "--plugins", paramLabel = "DIR", description = "Plugins folder (default: the distribution's plugins/).")
    Path plugins;

    @Override
    public Integer call() throws IOException {
        Logging.quiet();
        if (!Files.exists(file)) {
            throw new UserError(file + ": no such file");
        }
        try (LocalPlugins local = new LocalPlugins(plugins != null ? plugins : Distribution.plugins());
                TensorIndex index = open(local, file)) {
            System.out.println("file: " + file.toAbsolutePath());
            System.out.println("format: " + index.format() + ", " + index.tensors().size() + " tensors, "
                    + ModelsCommand.human(Files.size(file)));
            Map<String, String> metadata = new TreeMap<>(index.metadata());
            metadata.forEach((k, v) -> System.out.println("metadata: " + k + " = " + (v.length() > 200 ? v.substring(0, 200) + "..." : v)));
            System.out.println("model: " + family(index));
            if (!summary) {
                for (TensorInfo t : index.tensors()) {
                    System.out.println(t.name() + "\t" + t.dtype() + "\t" + t.shape());
                }
            }
        }
        return 0;
    }

    private static TensorIndex open(LocalPlugins local, Path file) throws IOException {
        try {
            return local.opener().open(file);
        } catch (CheckpointFormatException e) {
            throw new UserError(e.getMessage());
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file");
        }
    }

    private static String family(TensorIndex index) {
        try {
            ModelArchitecture arch = ModelDetector.detect(new CheckpointParameters(index, new CpuOps(), WeightPolicy.AS_STORED));
            StringBuilder sb = new StringBuilder(arch.family().id() + " (" + arch.family().displayName() + ")");
            sb.append("\n  unet: ").append(arch.unet());
            for (TextEncoderConfig t : arch.textEncoders()) {
                sb.append("\n  ").append(t.name()).append(": width ").append(t.width()).append(", ").append(t.layers())
                        .append(" layers, ").append(t.heads()).append(" heads");
            }
            sb.append("\n  vae: ").append(arch.vae());
            return sb.toString();
        } catch (UnsupportedModelException e) {
            return "not a model Stipple can run: " + e.getMessage();
        }
    }
}

package io.stipple.cli;

import io.stipple.engine.merge.CheckpointConverter;
import io.stipple.engine.merge.MergeControl;
import io.stipple.engine.merge.MergeResult;
import io.stipple.engine.merge.MergeTarget;
import io.stipple.engine.merge.OutputPrecision;
import io.stipple.plugin.api.CheckpointFormatException;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.tensor.cpu.CpuOps;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Rewrites a checkpoint as .safetensors (a .ckpt is read as data, its pickle never run).",
            "Written under a temporary name and renamed when complete; an existing output is kept unless --overwrite."})
final class ConvertCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN", description = "A .ckpt, .pt or .safetensors file.")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT.safetensors", description = "The file to write.")
    Path out;

    @Option(names = "--dtype", paramLabel = "keep|f32|f16|bf16", defaultValue = "keep", description = "Floating-point storage type (default: as stored).")
    String dtype;

    @Option(names = "--overwrite", description = "Replace OUT if it exists.")
    boolean overwrite;

    @Option(names = "--plugins", paramLabel = "DIR", description = "Plugins folder (default: the distribution's plugins/).")
    Path plugins;

    @Override
    public Integer call() throws Exception {
        Logging.quiet();
        if (!out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".safetensors")) {
            throw new UserError(out + " (expected: an output file name ending in .safetensors)");
        }
        if (!Files.isRegularFile(in)) {
            throw new UserError(in + ": no such file");
        }
        OutputPrecision precision = switch (dtype.toLowerCase(Locale.ROOT)) {
            case "keep" -> OutputPrecision.KEEP;
            case "f32" -> OutputPrecision.F32;
            case "f16" -> OutputPrecision.F16;
            case "bf16" -> OutputPrecision.BF16;
            default -> throw new UserError("--dtype: " + dtype + " (expected: keep, f32, f16 or bf16)");
        };
        try (LocalPlugins local = new LocalPlugins(plugins != null ? plugins : Distribution.plugins())) {
            var opener = local.opener();
            TensorIndex index;
            try {
                index = opener.open(in);
            } catch (CheckpointFormatException e) {
                throw new UserError(e.getMessage());
            }
            try (index) {
                MergeTarget target = new MergeTarget(out, opener.writerFor(out.getFileName().toString()), overwrite, precision);
                ProgressBar bar = ProgressBar.forTerminal();
                MergeResult r = new CheckpointConverter(new CpuOps()).convert(index, target,
                        new MergeControl((done, total) -> bar.update(done, total, 0), () -> false));
                bar.finish();
                System.out.println(out);
                System.err.println(r.tensors() + " tensors, " + ModelsCommand.human(r.sizeBytes()) + ", sha256 " + r.sha256());
            } catch (FileAlreadyExistsException e) {
                throw new UserError(out + " already exists (expected: a new file name, or --overwrite)");
            } catch (CheckpointFormatException e) {
                throw new UserError(e.getMessage());
            }
        }
        return 0;
    }
}

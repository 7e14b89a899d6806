package io.stipple.cli;

import io.stipple.proto.v1.ComponentMerge;
import io.stipple.proto.v1.MergeEvent;
import io.stipple.proto.v1.MergeMode;
import io.stipple.proto.v1.MergeRecipe;
import io.stipple.proto.v1.MergeRequest;
import io.stipple.proto.v1.TensorType;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "merge", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Merges checkpoints into a new .safetensors file, tensor by tensor (bounded memory).",
            "weighted: W = R·A + (1−R)·B (ComfyUI's convention: R = 1 is all of A); add-difference: W = A + (B − C)·R.",
            "The file is written under a temporary name and renamed when complete; an existing file is kept unless --overwrite."})
final class MergeCommand implements Callable<Integer> {
    @Option(names = "--a", required = true, paramLabel = "FILE", description = "Model A.")
    String a;

    @Option(names = "--b", required = true, paramLabel = "FILE", description = "Model B.")
    String b;

    @Option(names = "--c", paramLabel = "FILE", description = "Model C (add-difference).")
    String c;

    @Option(names = "--mode", defaultValue = "weighted", paramLabel = "weighted|add-difference", description = "Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--ratio", paramLabel = "R", description = "Ratio (weighted, default 0.5) or multiplier (add-difference, default 1).")
    Float ratio;

    @Option(names = "--unet-ratio", paramLabel = "R", description = "Another ratio for the UNet.")
    Float unetRatio;

    @Option(names = "--text-encoder-ratio", paramLabel = "R", description = "Another ratio for the text encoders.")
    Float textEncoderRatio;

    @Option(names = "--vae-ratio", paramLabel = "R", description = "Another ratio for the VAE.")
    Float vaeRatio;

    @Option(names = "--dtype", paramLabel = "keep|f32|f16|bf16", defaultValue = "keep", description = "Storage type of the output (default: A's).")
    String dtype;

    @Option(names = "--out", required = true, paramLabel = "FILE.safetensors", description = "The new checkpoint.")
    String out;

    @Option(names = "--overwrite", description = "Replace --out if it exists.")
    boolean overwrite;

    @Mixin
    RemoteOptions remote;

    @Mixin
    ServerOptions serverOptions;

    @Override
    public Integer call() {
        Logging.quiet();
        MergeMode m = switch (mode.toLowerCase(Locale.ROOT)) {
            case "weighted", "weighted-sum", "weighted_sum" -> MergeMode.MERGE_MODE_WEIGHTED_SUM;
            case "add-difference", "add_difference" -> MergeMode.MERGE_MODE_ADD_DIFFERENCE;
            default -> throw new UserError("--mode: " + mode + " (expected: weighted or add-difference)");
        };
        TensorType t = switch (dtype.toLowerCase(Locale.ROOT)) {
            case "keep" -> TensorType.TENSOR_TYPE_UNSPECIFIED;
            case "f32" -> TensorType.TENSOR_TYPE_F32;
            case "f16" -> TensorType.TENSOR_TYPE_F16;
            case "bf16" -> TensorType.TENSOR_TYPE_BF16;
            default -> throw new UserError("--dtype: " + dtype + " (expected: keep, f32, f16 or bf16)");
        };
        try (Connection connection = Connection.open(remote, serverOptions)) {
            boolean embedded = connection.embedded();
            MergeRecipe.Builder recipe = MergeRecipe.newBuilder().setMode(m).setModelB(GenerateCommand.modelName(b, embedded));
            if (c != null) {
                recipe.setModelC(GenerateCommand.modelName(c, embedded));
            }
            if (ratio != null) {
                recipe.setRatio(ratio);
            }
            if (unetRatio != null) {
                recipe.setUnet(ComponentMerge.newBuilder().setRatio(unetRatio));
            }
            if (textEncoderRatio != null) {
                recipe.setTextEncoder(ComponentMerge.newBuilder().setRatio(textEncoderRatio));
            }
            if (vaeRatio != null) {
                recipe.setVae(ComponentMerge.newBuilder().setRatio(vaeRatio));
            }
            String output = embedded ? Path.of(out).toAbsolutePath().toString() : out;
            Iterator<MergeEvent> events = connection.client().merge(MergeRequest.newBuilder()
                    .setModelA(GenerateCommand.modelName(a, embedded)).setRecipe(recipe).setOutputName(output)
                    .setOverwrite(overwrite).setOutputDtype(t).build());
            ProgressBar bar = ProgressBar.forTerminal();
            while (events.hasNext()) {
                MergeEvent e = events.next();
                if (e.hasProgress()) {
                    bar.update(e.getProgress().getTensorsDone(), e.getProgress().getTensorsTotal(), 0);
                } else if (e.hasResult()) {
                    bar.finish();
                    e.getResult().getWarningsList().forEach(w -> System.err.println("warning: " + w));
                    System.out.println(out);
                    System.err.println(ModelsCommand.human(e.getResult().getSizeBytes()) + ", sha256 " + e.getResult().getSha256());
                }
            }
        }
        return 0;
    }
}

package io.stipple.engine.merge;

import io.stipple.format.safetensors.SafetensorsFormat;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.tensor.cpu.CpuOps;
import java.nio.file.Path;

/**
 * A merge in its own JVM, slowed down per tensor, for {@link MergeKillTest} to kill halfway:
 * {@code MergeChildMain A B OUT DELAY_MS}. Prints "progress DONE TOTAL" before each tensor.
 */
public final class MergeChildMain {
    private MergeChildMain() {}

    public static void main(String[] args) throws Exception {
        Path a = Path.of(args[0]);
        Path b = Path.of(args[1]);
        Path out = Path.of(args[2]);
        long delayMs = Long.parseLong(args[3]);
        SafetensorsFormat format = new SafetensorsFormat();
        MergeControl slow = new MergeControl((done, total) -> {
            System.out.println("progress " + done + " " + total);
            System.out.flush();
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, () -> false);
        try (TensorIndex ia = format.open(a); TensorIndex ib = format.open(b)) {
            new CheckpointMerger(new CpuOps()).merge(MergeRecipe.unetWeightedSum(0.3), ia, ib, MergeTarget.of(out, format), slow);
        }
        System.out.println("finished");
    }
}

package io.stipple.engine.lora;

import io.stipple.engine.detect.ModelArchitecture;
import io.stipple.engine.detect.ModelDetector;
import io.stipple.engine.testing.TestModels;
import io.stipple.engine.weights.CheckpointParameters;
import io.stipple.engine.weights.WeightPolicy;
import io.stipple.lora.lycoris.BoftAdapter;
import io.stipple.lora.lycoris.DiffAdapter;
import io.stipple.lora.lycoris.GloraAdapter;
import io.stipple.lora.lycoris.LohaAdapter;
import io.stipple.lora.lycoris.LokrAdapter;
import io.stipple.lora.lycoris.LowRankAdapter;
import io.stipple.lora.lycoris.OftAdapter;
import io.stipple.plugin.api.LoraAdapter;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.tensor.Ops;
import java.util.List;

/** A golden tiny model opened with the bundled adapters, for the LoRA tests. */
final class LoraTesting implements AutoCloseable {
    /** The lora-lycoris plugin's adapters in the order the server asks them. */
    static final List<LoraAdapter> ADAPTERS = List.of(new LowRankAdapter(), new LohaAdapter(), new LokrAdapter(), new GloraAdapter(),
            new BoftAdapter(), new OftAdapter(), new DiffAdapter());

    final TensorIndex index;
    final CheckpointParameters params;
    final ModelArchitecture architecture;
    final LoraLoader loader;

    LoraTesting(String model, Ops ops) {
        this.index = TestModels.open(model);
        this.params = new CheckpointParameters(index, ops, WeightPolicy.RESIDENT_F32);
        this.architecture = ModelDetector.detect(params);
        this.loader = new LoraLoader(ADAPTERS, ops, architecture, params);
    }

    /** Reads a LoRA file of the golden data (kept open: its patches read it lazily). */
    LoadedLora load(String goldenPath) {
        return loader.load(goldenPath.substring(goldenPath.lastIndexOf('/') + 1), TestModels.open(goldenPath));
    }

    @Override
    public void close() {
        index.close();
    }
}

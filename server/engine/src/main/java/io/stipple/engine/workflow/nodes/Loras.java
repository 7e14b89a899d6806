package io.stipple.engine.workflow.nodes;

import io.stipple.engine.lora.AppliedLora;
import io.stipple.engine.lora.PatchedParameters;
import io.stipple.engine.pipeline.ModelLoader;
import io.stipple.engine.pipeline.StableDiffusionModel;
import io.stipple.engine.workflow.ClipValue;
import io.stipple.engine.workflow.LoraUse;
import io.stipple.engine.workflow.ModelValue;
import io.stipple.tensor.Ops;
import java.util.ArrayList;
import java.util.List;

/**
 * A LoRA added to a MODEL or a CLIP. Each side is its own overlay over the checkpoint's weights,
 * holding only that side's strength: a LoraLoader's model output must not carry its CLIP patches
 * (and the other way round), since the two outputs can be wired to different nodes.
 */
final class Loras {
    private Loras() {}

    static ModelValue onModel(ModelValue model, LoraUse lora, Ops ops) {
        List<LoraUse> loras = append(model.loras(), lora);
        List<AppliedLora> applied = loras.stream().map(l -> new AppliedLora(l.lora(), l.strength(), 0.0)).toList();
        return new ModelValue(model.checkpoint(), loras, overlay(model.checkpoint(), applied, ops));
    }

    static ClipValue onClip(ClipValue clip, LoraUse lora, Ops ops) {
        List<LoraUse> loras = append(clip.loras(), lora);
        List<AppliedLora> applied = loras.stream().map(l -> new AppliedLora(l.lora(), 0.0, l.strength())).toList();
        return new ClipValue(clip.checkpoint(), loras, overlay(clip.checkpoint(), applied, ops), clip.clipSkip());
    }

    private static StableDiffusionModel overlay(StableDiffusionModel checkpoint, List<AppliedLora> applied, Ops ops) {
        // the checkpoint's prompts' embeddings and sampling (a ModelSamplingDiscrete before the LoRA) carry over
        return ModelLoader.load(checkpoint.name(), new PatchedParameters(checkpoint.weights(), applied), ops)
                .withEmbeddings(checkpoint.textEncoder().embeddings()).withSampling(checkpoint.sampling());
    }

    private static List<LoraUse> append(List<LoraUse> loras, LoraUse lora) {
        List<LoraUse> out = new ArrayList<>(loras);
        out.add(lora);
        return out;
    }
}

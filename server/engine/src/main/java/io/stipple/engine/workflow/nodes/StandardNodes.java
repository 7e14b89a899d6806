package io.stipple.engine.workflow.nodes;

import io.stipple.engine.workflow.NodeType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The ComfyUI nodes Stipple runs, and the ones it knows and refuses. */
public final class StandardNodes {
    private static final String INPAINTING = "inpainting needs inpainting-model support, which Stipple does not have yet";
    private static final String NOT_YET = "Stipple does not run this node yet";

    private StandardNodes() {}

    public static List<NodeType> all() {
        return List.of(new CheckpointLoaderSimple(), new CLIPTextEncode(), new CLIPSetLastLayer(), new EmptyLatentImage(),
                new KSampler(), new KSamplerAdvanced(), new VAEDecode(), new VAEEncode(), new SaveImage(), new PreviewImage(),
                new LoraLoader(), new LoraLoaderModelOnly(), new LoadImage(), new LoadLatent(), new SaveLatent(), new ModelMergeSimple(),
                new LatentUpscale(), new LatentUpscaleBy(), new ConditioningCombine(), new CLIPMergeSimple(), new ModelSamplingDiscrete(),
                new VAELoader(), new CLIPTextEncodeSDXL(), new ImageScale());
    }

    public static Map<String, String> refused() {
        Map<String, String> r = new LinkedHashMap<>();
        for (String n : List.of("VAEEncodeForInpaint", "SetLatentNoiseMask", "LoadImageMask", "InpaintModelConditioning")) {
            r.put(n, INPAINTING);
        }
        for (String n : List.of("CheckpointSave",
                "ConditioningSetArea")) {
            r.put(n, NOT_YET);
        }
        return r;
    }
}

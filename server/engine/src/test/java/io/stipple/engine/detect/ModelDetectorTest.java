package io.stipple.engine.detect;

import io.stipple.engine.sampling.Prediction;
import io.stipple.engine.sampling.SamplingSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.testing.TestModels;
import io.stipple.engine.weights.CheckpointParameters;
import io.stipple.engine.weights.ParameterSource;
import io.stipple.engine.weights.WeightPolicy;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.cpu.CpuOps;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Families and configs from names and shapes, and the messages for files that are not what they seem. */
class ModelDetectorTest {

    /** A checkpoint's declared tensors with some dropped or reshaped; no data. */
    private record Edited(List<TensorInfo> tensors) implements ParameterSource {
        static Edited of(String model, Predicate<String> keep, UnaryOperator<TensorInfo> change) {
            try (TensorIndex index = TestModels.open(model)) {
                return new Edited(index.tensors().stream().filter(t -> keep.test(t.name())).map(change).toList());
            }
        }

        @Override
        public Optional<Tensor> find(String key) {
            throw new UnsupportedOperationException("detection must not read tensors");
        }

        @Override
        public Optional<TensorInfo> info(String key) {
            return tensors.stream().filter(t -> t.name().equals(key)).findFirst();
        }

        @Override
        public List<String> keys() {
            return tensors.stream().map(TensorInfo::name).toList();
        }
    }

    private static ModelArchitecture detect(String model) {
        try (TensorIndex index = TestModels.open(model)) {
            return ModelDetector.detect(new CheckpointParameters(index, new CpuOps(), WeightPolicy.AS_STORED));
        }
    }

    @Test
    void tinyCheckpointsAreDetected() {
        ModelArchitecture sd15 = detect("models/sd15_tiny.safetensors");
        assertEquals(ModelFamily.SD15, sd15.family());
        assertEquals(List.of("clip_l"), sd15.textEncoders().stream().map(TextEncoderConfig::name).toList());
        ModelArchitecture sdxl = detect("models/sdxl_tiny.safetensors");
        assertEquals(ModelFamily.SDXL, sdxl.family());
        assertEquals(32, sdxl.textEncoder("clip_g").width());
        assertEquals(3, sdxl.textEncoder("clip_g").layers());
        assertTrue(sdxl.textEncoder("clip_g").openClipLayout());
    }

    /** The tiny SDXL checkpoint's tensors plus marker keys (empty tensors, as ComfyUI writes "v_pred"). */
    private static Edited sdxlWith(String... markers) {
        Edited base = Edited.of("models/sdxl_tiny.safetensors", k -> true, t -> t);
        List<TensorInfo> all = new java.util.ArrayList<>(base.tensors());
        for (String m : markers) {
            all.add(new TensorInfo(m, io.stipple.tensor.DType.F32, io.stipple.tensor.Shape.of(0)));
        }
        return new Edited(all);
    }

    @Test
    void samplingIsEpsUnlessAnSdxlFileSaysVPrediction() {
        assertEquals(SamplingSettings.EPS, detect("models/sd15_tiny.safetensors").sampling());
        assertEquals(SamplingSettings.EPS, detect("models/sdxl_tiny.safetensors").sampling());
        assertEquals(new SamplingSettings(Prediction.V_PREDICTION, false), ModelDetector.detect(sdxlWith("v_pred")).sampling());
        assertEquals(new SamplingSettings(Prediction.V_PREDICTION, true), ModelDetector.detect(sdxlWith("v_pred", "ztsnr")).sampling());
        assertTrue(refusal(sdxlWith("edm_mean", "edm_std")).contains("EDM formulation"), "Playground 2.5 is refused by name");
    }

    private static String refusal(ParameterSource weights) {
        return assertThrows(UnsupportedModelException.class, () -> ModelDetector.detect(weights)).getMessage();
    }

    @Test
    void anSdxlFileWithoutItsBigGEncoderNamesWhatIsMissing() {
        String m = refusal(Edited.of("models/sdxl_tiny.safetensors", k -> !k.startsWith("conditioner.embedders.1."), t -> t));
        assertTrue(m.startsWith("SDXL UNet found, but no OpenCLIP bigG text encoder (conditioner.embedders.1.model.transformer.resblocks.*)"), m);
    }

    @Test
    void anSdxlFileWithoutClipLNamesWhatIsMissing() {
        String m = refusal(Edited.of("models/sdxl_tiny.safetensors", k -> !k.startsWith("conditioner.embedders.0."), t -> t));
        assertTrue(m.startsWith("SDXL UNet found, but no CLIP-L text encoder"), m);
    }

    @Test
    void anSdxlFileWithoutAVaeNamesWhatIsMissing() {
        String m = refusal(Edited.of("models/sdxl_tiny.safetensors", k -> !k.startsWith("first_stage_model."), t -> t));
        assertTrue(m.startsWith("SDXL UNet found, but no VAE (first_stage_model.decoder.*)"), m);
    }

    @Test
    void wrongShapesBetweenTextEncoderAndUnetAreNamed() {
        // a bigG twice as wide as the UNet's cross-attention expects
        String m = refusal(Edited.of("models/sdxl_tiny.safetensors", k -> true, t -> t.name().equals("conditioner.embedders.1.model.token_embedding.weight")
                ? new TensorInfo(t.name(), t.dtype(), Shape.of(49408, 64)) : t));
        assertTrue(m.contains("the UNet cross-attends to 64-wide text, but the text encoders [clip_l 32, clip_g 64] give 96"), m);
    }

    @Test
    void aUnetOnlyFileSaysSoAndSummarisesTheFile() {
        String m = refusal(Edited.of("models/sd15_tiny_b.safetensors", k -> true, t -> t));
        assertTrue(m.startsWith("SD1.x UNet found, but no CLIP text encoder"), m);
        assertTrue(m.contains("286 tensors: model.diffusion_model (286)"), m);
    }

    @Test
    void somethingElseEntirelySaysWhatItHas() {
        String m = refusal(Edited.of("lora/lora_a.safetensors", k -> true, t -> t));
        assertTrue(m.startsWith("no Stable Diffusion UNet (model.diffusion_model.input_blocks.0.0.weight) in a file with "), m);
    }

    @Test
    void theSdxlRefinerAndSd2AreRefusedByName() {
        var refiner = Edited.of("models/sdxl_tiny.safetensors", k -> !k.startsWith("conditioner.embedders.0."),
                t -> t.name().startsWith("conditioner.embedders.1.")
                        ? new TensorInfo(t.name().replace("conditioner.embedders.1.", "conditioner.embedders.0."), t.dtype(), t.shape()) : t);
        assertTrue(refusal(refiner).contains("SDXL refiner"));
        var sd2 = Edited.of("models/sdxl_tiny.safetensors", k -> !k.startsWith("conditioner.embedders.0.") && !k.startsWith("model.diffusion_model.label_emb"),
                t -> t.name().startsWith("conditioner.embedders.1.model.")
                        ? new TensorInfo(t.name().replace("conditioner.embedders.1.model.", "cond_stage_model.model."), t.dtype(), t.shape()) : t);
        assertTrue(refusal(sd2).contains("Stable Diffusion 2.x"), refusal(sd2));
    }
}

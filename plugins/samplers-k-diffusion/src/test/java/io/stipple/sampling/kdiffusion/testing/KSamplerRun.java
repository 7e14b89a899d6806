package io.stipple.sampling.kdiffusion.testing;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One golden KSampler run of {@code ksampler_sd15/} (seed 42, cfg 7): the sigmas ComfyUI used, the
 * initial noise, the final latent and, per step, the state and denoised estimate its callback saw.
 * The per-step state is the sampler's x passed to the model at that step (before the update), which
 * the files confirm: step 0 is exactly noise·√(1+σ₀²).
 */
public record KSamplerRun(String name, String sampler, String scheduler, int steps, double denoise,
        float[] sigmas, float[] noise, int[] shape, float[] samples, List<float[]> stepX, List<float[]> stepDenoised,
        float[] startLatent) {

    /** SD1.5's latent scale (process_latent_in multiplies by it, process_latent_out divides). */
    public static final float LATENT_SCALE = 0.18215f;
    public static final long SEED = 42;

    public static List<KSamplerRun> all() {
        JsonObject runs = Golden.manifest("ksampler_sd15").getAsJsonObject("runs");
        float[] startLatent = Golden.tensors("ksampler_sd15/conds.safetensors").floats("img2img_start_latent");
        List<KSamplerRun> out = new ArrayList<>();
        for (Map.Entry<String, JsonElement> e : runs.entrySet()) {
            JsonObject run = e.getValue().getAsJsonObject();
            if (run.has("error")) {
                continue;
            }
            out.add(load(e.getKey(), run, startLatent));
        }
        return out;
    }

    private static KSamplerRun load(String name, JsonObject run, float[] startLatent) {
        GoldenTensors t = Golden.tensors("ksampler_sd15/" + run.get("file").getAsString());
        List<float[]> xs = new ArrayList<>();
        List<float[]> denoised = new ArrayList<>();
        for (int i = 0; t.has(String.format("step%02d_x", i)); i++) {
            xs.add(t.floats(String.format("step%02d_x", i)));
            denoised.add(t.floats(String.format("step%02d_denoised", i)));
        }
        double denoise = run.get("denoise").getAsDouble();
        return new KSamplerRun(name, run.get("sampler_name").getAsString(), run.get("scheduler").getAsString(),
                run.get("steps").getAsInt(), denoise, t.floats("sigmas"), t.floats("noise"), t.shape("noise"),
                t.floats("samples"), xs, denoised, denoise < 0.9999 ? startLatent : null);
    }

    /**
     * The sampler's input as ComfyUI's KSAMPLER.sample makes it: noise·√(1+σ₀²) when σ₀ is the
     * model's σ_max ("max denoise"), else noise·σ₀; plus the scaled start latent for img2img (an
     * empty latent stays 0).
     */
    public float[] initialX() {
        float sigma0 = sigmas[0];
        float sigmaMax = GoldenModelSampling.get().sigmaMax();
        boolean maxDenoise = Math.abs(sigmaMax - sigma0) <= 1e-5 * Math.max(sigmaMax, sigma0) || sigma0 > sigmaMax;
        float[] x = new float[noise.length];
        if (startLatent == null) {
            float scale = maxDenoise ? (float) Math.sqrt(1f + sigma0 * sigma0) : sigma0;
            for (int i = 0; i < x.length; i++) {
                x[i] = noise[i] * scale + 0f;
            }
        } else {
            for (int i = 0; i < x.length; i++) {
                x[i] = noise[i] * sigma0 + startLatent[i] * LATENT_SCALE;
            }
        }
        return x;
    }

    /** The final latent in model space (samples are stored unscaled). */
    public float[] finalModelLatentFrom(float[] modelLatent) {
        float[] out = new float[modelLatent.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = modelLatent[i] / LATENT_SCALE;
        }
        return out;
    }

    public boolean img2img() {
        return startLatent != null;
    }

    @Override
    public String toString() {
        return name;
    }
}

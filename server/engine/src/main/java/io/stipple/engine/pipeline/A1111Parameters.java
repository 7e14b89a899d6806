package io.stipple.engine.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The generation parameters as AUTOMATIC1111 writes them into a PNG's "parameters" text chunk, so
 * tools that read A1111 metadata (civitai, image browsers, A1111's PNG Info) understand Stipple's
 * images: the prompt, "Negative prompt: ...", then "Key: value" pairs.
 */
public final class A1111Parameters {
    private static final Map<String, String> SAMPLERS = Map.ofEntries(
            Map.entry("euler", "Euler"), Map.entry("euler_ancestral", "Euler a"), Map.entry("heun", "Heun"),
            Map.entry("dpm_2", "DPM2"), Map.entry("dpm_2_ancestral", "DPM2 a"), Map.entry("lms", "LMS"),
            Map.entry("dpm_fast", "DPM fast"), Map.entry("dpm_adaptive", "DPM adaptive"),
            Map.entry("dpmpp_2s_ancestral", "DPM++ 2S a"), Map.entry("dpmpp_sde", "DPM++ SDE"),
            Map.entry("dpmpp_2m", "DPM++ 2M"), Map.entry("dpmpp_2m_sde", "DPM++ 2M SDE"),
            Map.entry("dpmpp_3m_sde", "DPM++ 3M SDE"), Map.entry("ddim", "DDIM"), Map.entry("uni_pc", "UniPC"),
            Map.entry("lcm", "LCM"), Map.entry("heunpp2", "Heun++ 2"), Map.entry("ipndm", "iPNDM"),
            Map.entry("ipndm_v", "iPNDM v"), Map.entry("deis", "DEIS"), Map.entry("ddpm", "DDPM"));
    private static final Map<String, String> SCHEDULES = Map.ofEntries(
            Map.entry("normal", "Normal"), Map.entry("karras", "Karras"), Map.entry("exponential", "Exponential"),
            Map.entry("sgm_uniform", "SGM Uniform"), Map.entry("simple", "Simple"), Map.entry("ddim_uniform", "DDIM"),
            Map.entry("beta", "Beta"), Map.entry("kl_optimal", "KL Optimal"), Map.entry("linear_quadratic", "Linear Quadratic"));

    private A1111Parameters() {}

    /** A LoRA as the parameters name it. */
    public record Lora(String name, String hash, float strengthModel, float strengthClip) {}

    /**
     * @param modelHash the first 10 hex digits of the checkpoint's SHA-256 (A1111's "Model hash"), or null
     * @param denoise written only below 1 (image-to-image)
     * @param clipSkip A1111's form (1 = last layer), written only above 1
     */
    public static String format(String prompt, String negative, int steps, String sampler, String scheduler, float cfg,
            long seed, int width, int height, String modelName, String modelHash, double denoise, int clipSkip,
            List<Lora> loras, String version) {
        StringBuilder sb = new StringBuilder(prompt == null ? "" : prompt);
        if (negative != null && !negative.isEmpty()) {
            sb.append("\nNegative prompt: ").append(negative);
        }
        List<String> pairs = new ArrayList<>();
        pairs.add("Steps: " + steps);
        pairs.add("Sampler: " + SAMPLERS.getOrDefault(sampler, sampler));
        pairs.add("Schedule type: " + SCHEDULES.getOrDefault(scheduler, scheduler));
        pairs.add("CFG scale: " + number(cfg));
        pairs.add("Seed: " + Long.toUnsignedString(seed));
        pairs.add("Size: " + width + "x" + height);
        if (modelHash != null) {
            pairs.add("Model hash: " + modelHash);
        }
        pairs.add("Model: " + quoteIfNeeded(modelName));
        if (denoise < 1.0) {
            pairs.add("Denoising strength: " + number(denoise));
        }
        if (clipSkip > 1) {
            pairs.add("Clip skip: " + clipSkip);
        }
        if (!loras.isEmpty()) {
            pairs.add("Lora hashes: \"" + String.join(", ", loras.stream().map(l -> l.name() + ": " + l.hash()).toList()) + "\"");
            pairs.add("Lora strengths: \"" + String.join(", ", loras.stream()
                    .map(l -> l.name() + ": " + number(l.strengthModel()) + "/" + number(l.strengthClip())).toList()) + "\"");
        }
        pairs.add("Version: " + version);
        return sb.append('\n').append(String.join(", ", pairs)).toString();
    }

    /** 7.0 → "7", 6.5 → "6.5", as A1111 prints its numbers. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, "%.6f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private static String quoteIfNeeded(String s) {
        return s.contains(",") || s.contains(":") || s.contains("\"") ? "\"" + s.replace("\"", "\\\"") + "\"" : s;
    }
}

package io.stipple.engine.workflow.nodes;

import io.stipple.engine.detect.ModelFamily;
import io.stipple.engine.image.LatentPreview;
import io.stipple.engine.pipeline.StableDiffusionModel;
import io.stipple.engine.sampling.CfgDenoiser;
import io.stipple.engine.sampling.Conditioning;
import io.stipple.engine.sampling.KSampler;
import io.stipple.engine.sampling.LatentFormat;
import io.stipple.engine.sampling.SdxlSizeConditioning;
import io.stipple.engine.sampling.SigmaSchedule;
import io.stipple.engine.workflow.ConditioningValue;
import io.stipple.engine.workflow.NodeContext;
import io.stipple.engine.workflow.WorkflowListener;
import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.Scheduler;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.random.InitialNoise;
import java.util.Arrays;
import java.util.List;

/** ComfyUI's common_ksampler, shared by KSampler and KSamplerAdvanced. */
final class Sampling {
    /** One sampling call's settings; {@code startStep}/{@code lastStep} -1 for the whole schedule. */
    record Settings(long seed, int steps, float cfg, String sampler, String scheduler, double denoise, boolean addNoise,
            int startStep, int lastStep, boolean forceFullDenoise) {}

    private Sampling() {}

    static Tensor sample(NodeContext context, StableDiffusionModel model, ConditioningValue positive, ConditioningValue negative,
            Tensor latent, Settings s) {
        Ops ops = context.ops();
        Sampler sampler = context.resources().sampler(s.sampler());
        Scheduler scheduler = context.resources().scheduler(s.scheduler());
        float[] sigmas = SigmaSchedule.sigmas(scheduler, sampler, model.modelSampling(), s.steps(), s.denoise());
        // comfy.samplers.KSampler.sample: cut the schedule at last_step, then start at start_step
        if (s.lastStep() >= 0 && s.lastStep() < sigmas.length - 1) {
            sigmas = Arrays.copyOf(sigmas, s.lastStep() + 1);
            if (s.forceFullDenoise()) {
                sigmas[sigmas.length - 1] = 0f;
            }
        }
        if (s.startStep() >= 0) {
            if (s.startStep() >= sigmas.length - 1) {
                return latent;
            }
            sigmas = Arrays.copyOfRange(sigmas, s.startStep(), sigmas.length);
        }
        SdxlSizeConditioning defaultSize = SdxlSizeConditioning.forSize(latent.dim(3) * 8, latent.dim(2) * 8);
        List<Conditioning> pos = positive.entries().stream().map(e -> conditioning(model, e, defaultSize)).toList();
        List<Conditioning> neg = negative.entries().stream().map(e -> conditioning(model, e, defaultSize)).toList();
        Denoiser denoiser = pos.size() == 1 && neg.size() == 1 ? new CfgDenoiser(model.denoiser(), pos.get(0), neg.get(0), s.cfg())
                : new CombinedCfgDenoiser(model.denoiser(), pos, neg, s.cfg());
        Tensor noise = s.addNoise() ? ops.fromArray(InitialNoise.prepare(latent.shape().dims(), s.seed()), latent.shape())
                : ops.zeros(latent.shape());
        LatentFormat format = model.family().latentFormat();
        WorkflowListener listener = context.listener();
        String node = context.nodeId();
        return KSampler.sample(denoiser, sampler, sigmas, format, latent, noise, s.seed(), (step, total, sigma, x, denoised) -> {
            listener.progress(node, step, total);
            if (listener.wantsPreview()) {
                listener.preview(node, step, LatentPreview.render(denoised, format, listener.previewMaxSize()));
            }
        });
    }

    private static Conditioning conditioning(StableDiffusionModel model, ConditioningValue.Entry c, SdxlSizeConditioning defaultSize) {
        if (model.family() == ModelFamily.SDXL) {
            SdxlSizeConditioning size = c.sdxlSize() != null ? c.sdxlSize() : defaultSize;
            return new Conditioning(c.context(), size.adm(c.pooled()));
        }
        return new Conditioning(c.context(), null);
    }
}

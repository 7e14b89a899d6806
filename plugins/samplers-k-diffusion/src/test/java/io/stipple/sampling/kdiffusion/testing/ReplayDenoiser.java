package io.stipple.sampling.kdiffusion.testing;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.ModelSampling;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import java.util.List;

/**
 * A denoiser that replays ComfyUI's recorded denoised estimates, one per call, so a sampler's
 * arithmetic can be checked against a golden run without the UNet. Where the recorded run saw the
 * model's input, each call's x and σ are compared with it and the worst difference is kept.
 */
public final class ReplayDenoiser implements Denoiser {
    private final List<float[]> denoised;
    private final List<float[]> expectedX;
    private final float[] expectedSigmas;
    private final Shape shape;
    private int calls;
    private double worstInputDifference;
    private double worstSigmaDifference;

    /**
     * @param expectedX the recorded model inputs, or null where the sampler calls the model on
     *     something other than its callback state
     */
    public ReplayDenoiser(List<float[]> denoised, List<float[]> expectedX, float[] expectedSigmas, int[] shape) {
        this.denoised = denoised;
        this.expectedX = expectedX;
        this.expectedSigmas = expectedSigmas;
        this.shape = Shape.of(shape);
    }

    @Override
    public Tensor denoise(Tensor x, float sigma) {
        int call = calls++;
        if (call >= denoised.size()) {
            throw new AssertionError("model call " + call + " at sigma " + sigma + ": the golden run made only "
                    + denoised.size() + " calls");
        }
        if (!x.shape().equals(shape)) {
            throw new AssertionError("model call " + call + ": x shape " + x.shape() + " (expected: " + shape + ")");
        }
        if (expectedSigmas != null) {
            worstSigmaDifference = Math.max(worstSigmaDifference, Math.abs(sigma - expectedSigmas[call]));
        }
        if (expectedX != null) {
            float[] actual = x.toArray();
            float[] expected = expectedX.get(call);
            double max = 0;
            double diff = 0;
            for (int i = 0; i < actual.length; i++) {
                max = Math.max(max, Math.abs(expected[i]));
                diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
            }
            worstInputDifference = Math.max(worstInputDifference, diff / Math.max(max, 1e-30));
        }
        return RecordingContext.cpu().fromArray(denoised.get(call), shape);
    }

    public int calls() {
        return calls;
    }

    /** The largest |x − recorded x| relative to the recorded state's largest value. */
    public double worstInputDifference() {
        return worstInputDifference;
    }

    public double worstSigmaDifference() {
        return worstSigmaDifference;
    }

    @Override
    public ModelSampling modelSampling() {
        return GoldenModelSampling.get();
    }
}

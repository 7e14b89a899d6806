package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.tensor.Tensor;
import org.pf4j.Extension;

/**
 * ComfyUI's {@code sample_ipndm_v}: iPNDM with coefficients for variable step sizes, up to order 4
 * (float32 arithmetic on the sigmas, in ComfyUI's order of operations; the loop is {@link Ipndm}'s).
 */
@Extension
public final class IpndmVSampler extends Ipndm {

    @Override
    public String name() {
        return "ipndm_v";
    }

    @Override
    Tensor multistep(int order, Tensor d, DerivativeHistory history, float dt, float[] sigmas, int i) {
        float[] c = coefficients(order, sigmas, i);
        Tensor combination = d.mul(c[0]);
        for (int k = 1; k < order; k++) {
            combination = combination.add(history.back(k).mul(c[k]));
        }
        return combination.mul(dt);
    }

    /** The weights of the current and previous derivatives, for order 2 to 4. */
    private static float[] coefficients(int order, float[] t, int i) {
        float hn = t[i + 1] - t[i];
        float hn1 = t[i] - t[i - 1];
        if (order == 2) {
            return new float[] {(2f + hn / hn1) / 2f, -(hn / hn1) / 2f};
        }
        float hn2 = t[i - 1] - t[i - 2];
        float temp1 = (1f - hn / (3f * (hn + hn1)) * (hn * (hn + hn1)) / (hn1 * (hn1 + hn2))) / 2f;
        if (order == 3) {
            return new float[] {
                (2f + hn / hn1) / 2f + temp1,
                -(hn / hn1) / 2f - (1f + hn1 / hn2) * temp1,
                temp1 * hn1 / hn2,
            };
        }
        float hn3 = t[i - 2] - t[i - 3];
        float temp2 = ((1f - hn / (3f * (hn + hn1))) / 2f + (1f - hn / (2f * (hn + hn1))) * hn / (6f * (hn + hn1 + hn2)))
                * (hn * (hn + hn1) * (hn + hn1 + hn2)) / (hn1 * (hn1 + hn2) * (hn1 + hn2 + hn3));
        float ratio21 = hn1 * (hn1 + hn2) / (hn2 * (hn2 + hn3));
        return new float[] {
            (2f + hn / hn1) / 2f + temp1 + temp2,
            -(hn / hn1) / 2f - (1f + hn1 / hn2) * temp1 - (1f + hn1 / hn2 + ratio21) * temp2,
            temp1 * hn1 / hn2 + (hn1 / hn2 + ratio21 * (1f + hn2 / hn3)) * temp2,
            -temp2 * ratio21 * hn1 / hn2,
        };
    }
}

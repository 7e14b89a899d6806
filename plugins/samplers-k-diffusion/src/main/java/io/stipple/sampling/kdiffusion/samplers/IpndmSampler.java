package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.tensor.Tensor;
import org.pf4j.Extension;

/**
 * ComfyUI's {@code sample_ipndm} (improved pseudo-numerical methods, from zju-pi/diff-sampler):
 * Adams–Bashforth with fixed coefficients up to order 4 (the loop is {@link Ipndm}'s).
 */
@Extension
public final class IpndmSampler extends Ipndm {

    @Override
    public String name() {
        return "ipndm";
    }

    @Override
    Tensor multistep(int order, Tensor d, DerivativeHistory history, float dt, float[] sigmas, int i) {
        if (order == 2) {
            return d.mul(3).sub(history.back(1)).mul(dt).div(2);
        } else if (order == 3) {
            Tensor combination = d.mul(23).sub(history.back(1).mul(16)).add(history.back(2).mul(5));
            return combination.mul(dt).div(12);
        } else {
            Tensor combination = d.mul(55).sub(history.back(1).mul(59)).add(history.back(2).mul(37))
                    .sub(history.back(3).mul(9));
            return combination.mul(dt).div(24);
        }
    }
}

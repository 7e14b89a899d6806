package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/** The last {@code capacity} derivatives of a multistep sampler ({@code buffer_model} in ComfyUI). */
final class DerivativeHistory {
    private final int capacity;
    private final List<Tensor> buffer = new ArrayList<>();

    DerivativeHistory(int capacity) {
        this.capacity = capacity;
    }

    /** The derivative {@code back} steps ago (1 = the previous step). */
    Tensor back(int back) {
        return buffer.get(buffer.size() - back);
    }

    void push(Tensor d) {
        if (buffer.size() == capacity) {
            buffer.remove(0);
        }
        buffer.add(d);
    }
}

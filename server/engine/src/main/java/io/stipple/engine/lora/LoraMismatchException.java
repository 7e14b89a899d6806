package io.stipple.engine.lora;

/**
 * A LoRA that does not fit the model it is applied to: none of its keys name a weight of the model,
 * or its patches have other shapes than the weights they name (a LoRA for another model family).
 */
public class LoraMismatchException extends RuntimeException {
    public LoraMismatchException(String message) {
        super(message);
    }
}

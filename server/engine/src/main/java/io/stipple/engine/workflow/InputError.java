package io.stipple.engine.workflow;

/**
 * One problem with one input (or with the node as a whole, when {@code input} is null), as one
 * entry of ComfyUI's {@code node_errors[id].errors}.
 *
 * @param type ComfyUI's error type ({@code required_input_missing}, {@code value_bigger_than_max}...)
 * @param message what is wrong: the value and what was expected
 */
public record InputError(String type, String input, String message) {}

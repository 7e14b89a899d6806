package io.stipple.engine.pipeline;

import io.stipple.plugin.api.CheckpointFormat;
import io.stipple.plugin.api.TensorEntry;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.DType;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * ComfyUI's ".latent" files (SaveLatent / LoadLatent): a safetensors file with {@code latent_tensor}
 * (the unscaled VAE latent) and an empty {@code latent_format_version_0} marking the current format.
 * Files without the marker predate it and hold latents scaled by 0.18215.
 */
public final class LatentFile {
    public static final String TENSOR = "latent_tensor";
    public static final String VERSION_MARKER = "latent_format_version_0";
    private static final float LEGACY_SCALE = 0.18215f;

    private LatentFile() {}

    /**
     * @throws InvalidRequestException (field {@code field}) when there is no 4-D float latent_tensor
     */
    public static Tensor read(TensorIndex index, Ops ops, String field) {
        TensorInfo info = index.info(TENSOR).orElseThrow(() ->
                new InvalidRequestException(field, "no " + TENSOR + " in the file (expected: a ComfyUI .latent file)"));
        if (info.shape().rank() != 4 || !info.dtype().isFloatingPoint()) {
            throw new InvalidRequestException(field, TENSOR + " is " + info.dtype() + " " + info.shape()
                    + " (expected: a float tensor [batch, channels, height/8, width/8])");
        }
        Tensor latent = ops.toF32(ops.fromBytes(index.bytes(TENSOR), info.dtype(), info.shape()));
        requireFinite(latent, field);
        return index.contains(VERSION_MARKER) ? latent : latent.mul(1.0 / LEGACY_SCALE);
    }

    /** A NaN or an infinity in a latent only draws a black image: refused, wherever the latent comes from. */
    private static void requireFinite(Tensor latent, String field) {
        float[] values = latent.toArray();
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new InvalidRequestException(field, TENSOR + " holds " + values[i] + " at element " + i + " (expected: finite numbers)");
            }
        }
    }

    public static void write(CheckpointFormat format, Path file, Tensor latent) throws IOException {
        Ops ops = latent.ops();
        Tensor f32 = ops.toF32(latent);
        format.write(file, List.of(
                new TensorEntry(new TensorInfo(TENSOR, DType.F32, f32.shape()), () -> ops.toBytes(f32)),
                new TensorEntry(new TensorInfo(VERSION_MARKER, DType.F32, Shape.of(0)), () -> MemorySegment.ofArray(new byte[0]))),
                Map.of());
    }
}

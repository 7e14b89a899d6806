package io.stipple.engine.workflow.nodes;

import io.stipple.engine.pipeline.InvalidRequestException;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import java.util.List;

/**
 * ComfyUI's common_upscale on a latent: an optional centre crop to the target's aspect, then
 * torch.nn.functional.interpolate of the last two dimensions with the method's index rules
 * (float32 scales, as torch computes them).
 */
final class LatentResize {
    /** The methods Stipple implements; ComfyUI's bicubic and bislerp are not among them yet. */
    static final List<String> METHODS = List.of("nearest-exact", "bilinear", "area");
    static final List<String> CROPS = List.of("disabled", "center");

    private LatentResize() {}

    static Tensor resize(Ops ops, Tensor samples, int width, int height, String method, String crop) {
        if (width < 1 || height < 1) {
            throw new InvalidRequestException("samples", "would be resized to " + width + "x" + height + " (expected: at least 1x1)");
        }
        Tensor s = crop.equals("center") ? centreCrop(ops, samples, width, height) : samples;
        int[] d = s.shape().dims();
        float[] out = resize(s.toArray(), d[0] * d[1], d[2], d[3], height, width, method);
        return ops.fromArray(out, Shape.of(d[0], d[1], height, width));
    }

    private static Tensor centreCrop(Ops ops, Tensor s, int width, int height) {
        int oldW = s.dim(3);
        int oldH = s.dim(2);
        double oldAspect = (double) oldW / oldH;
        double newAspect = (double) width / height;
        int x = 0;
        int y = 0;
        if (oldAspect > newAspect) {
            x = (int) Math.rint((oldW - oldW * (newAspect / oldAspect)) / 2);
        } else if (oldAspect < newAspect) {
            y = (int) Math.rint((oldH - oldH * (oldAspect / newAspect)) / 2);
        }
        return ops.narrow(ops.narrow(s, 2, y, oldH - 2 * y), 3, x, oldW - 2 * x);
    }

    /** {@code planes} planes of inH×inW to outH×outW. */
    static float[] resize(float[] in, int planes, int inH, int inW, int outH, int outW, String method) {
        float[] out = new float[planes * outH * outW];
        for (int p = 0; p < planes; p++) {
            int src = p * inH * inW;
            int dst = p * outH * outW;
            for (int y = 0; y < outH; y++) {
                for (int x = 0; x < outW; x++) {
                    out[dst + y * outW + x] = switch (method) {
                        case "nearest-exact" -> in[src + nearestExact(y, inH, outH) * inW + nearestExact(x, inW, outW)];
                        case "bilinear" -> bilinear(in, src, inH, inW, y, x, outH, outW);
                        case "area" -> area(in, src, inW, y, x, inH, outH, inW, outW);
                        default -> throw new IllegalArgumentException(method);
                    };
                }
            }
        }
        return out;
    }

    /** torch's nearest-exact: floor((i + 0.5) · in/out), clamped. */
    private static int nearestExact(int i, int in, int out) {
        float scale = (float) in / out;
        return Math.min((int) Math.floor((i + 0.5f) * scale), in - 1);
    }

    /** torch's bilinear with align_corners=False: source (i + 0.5) · in/out − 0.5, clamped at 0. */
    private static float bilinear(float[] in, int base, int inH, int inW, int y, int x, int outH, int outW) {
        float sy = Math.max(((float) inH / outH) * (y + 0.5f) - 0.5f, 0f);
        float sx = Math.max(((float) inW / outW) * (x + 0.5f) - 0.5f, 0f);
        int y0 = (int) sy;
        int x0 = (int) sx;
        int y1 = Math.min(y0 + 1, inH - 1);
        int x1 = Math.min(x0 + 1, inW - 1);
        float ly = sy - y0;
        float lx = sx - x0;
        float top = in[base + y0 * inW + x0] * (1 - lx) + in[base + y0 * inW + x1] * lx;
        float bottom = in[base + y1 * inW + x0] * (1 - lx) + in[base + y1 * inW + x1] * lx;
        return top * (1 - ly) + bottom * ly;
    }

    /** adaptive_avg_pool2d: the mean over [floor(i·in/out), ceil((i+1)·in/out)). */
    private static float area(float[] in, int base, int stride, int y, int x, int inH, int outH, int inW, int outW) {
        int y0 = (int) Math.floor((double) y * inH / outH);
        int y1 = (int) Math.ceil((double) (y + 1) * inH / outH);
        int x0 = (int) Math.floor((double) x * inW / outW);
        int x1 = (int) Math.ceil((double) (x + 1) * inW / outW);
        float sum = 0;
        for (int i = y0; i < y1; i++) {
            for (int j = x0; j < x1; j++) {
                sum += in[base + i * stride + j];
            }
        }
        return sum / ((y1 - y0) * (x1 - x0));
    }
}

package io.stipple.tensor;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The operations the models and samplers need, implemented once per backend. CLIP, the UNet, the
 * VAE, the samplers and LoRA patching are written against this interface only.
 *
 * <p>Layouts are torch's: images {@code (batch, channels, h, w)}, token sequences
 * {@code (batch, tokens, channels)}, linear weights {@code (out, in)}, conv weights
 * {@code (out, in, kh, kw)}. Every result is a new float32 tensor unless said otherwise; inputs are
 * never modified. Inputs of another floating dtype (weights as stored) are converted as they are read.
 */
public interface Ops {

    /** A short name for logs: "cpu", "cuda:0". */
    String name();

    /**
     * The type activations are computed in: float32 on the CPU; a device may use bfloat16 or float16
     * (accumulating in float32, with norm statistics, softmax and latents in float32).
     */
    DType computeDType();

    /**
     * A scope that frees the tensors made inside it when it closes, except those it keeps
     * ({@code try (var s = ops.scope()) { ...; return s.keep(result); }}).
     */
    default TensorScope scope() {
        return TensorScope.open(StorageEvents.NONE);
    }

    // ---- creation and transfer --------------------------------------------------------------

    Tensor zeros(Shape shape);

    Tensor full(Shape shape, float value);

    /** A float32 tensor holding a copy of {@code data}. */
    Tensor fromArray(float[] data, Shape shape);

    /**
     * A tensor over bytes as a file stores them (little-endian {@code dtype}). The backend may keep a
     * reference to {@code bytes} instead of copying; they must stay valid while the tensor lives.
     */
    Tensor fromBytes(MemorySegment bytes, DType dtype, Shape shape);

    /** The elements as float32, in row-major order (a copy). */
    float[] toArray(Tensor t);

    /** {@code t} as a float32 tensor resident on this backend (a view sharing its storage if it already is). */
    Tensor toF32(Tensor t);

    /** {@code t} converted to {@code dtype} (rounding to nearest even). */
    Tensor cast(Tensor t, DType dtype);

    /** The raw little-endian bytes of {@code t} in its dtype (for writing files). */
    MemorySegment toBytes(Tensor t);

    // ---- elementwise ------------------------------------------------------------------------

    /** {@code a + b}, broadcasting as numpy does. */
    Tensor add(Tensor a, Tensor b);

    Tensor sub(Tensor a, Tensor b);

    Tensor mul(Tensor a, Tensor b);

    Tensor div(Tensor a, Tensor b);

    /** {@code a * s}. */
    Tensor scale(Tensor a, float s);

    /** {@code a + s}. */
    Tensor addScalar(Tensor a, float s);

    /** {@code a / s}, dividing each element as torch does (not multiplying by 1/s, which rounds differently). */
    Tensor divScalar(Tensor a, float s);

    /** {@code a + b * s} for same-shaped tensors, in one pass (float32 rounding of each product and sum, as torch). */
    Tensor addScaled(Tensor a, Tensor b, float s);

    Tensor unary(Tensor a, UnaryOp op);

    Tensor clamp(Tensor a, float min, float max);

    // ---- reductions over all elements ------------------------------------------------------

    double sum(Tensor a);

    double maxAbs(Tensor a);

    // ---- shape ------------------------------------------------------------------------------

    /** Concatenation along {@code axis}. */
    Tensor concat(int axis, Tensor... parts);

    /** {@code length} entries of {@code axis} from {@code start} (a copy). */
    Tensor narrow(Tensor a, int axis, int start, int length);

    /** Dimensions reordered, torch's {@code permute} (a contiguous copy). */
    Tensor permute(Tensor a, int... order);

    /** Zero padding of the last two dimensions (h, w). */
    Tensor pad2d(Tensor a, int left, int right, int top, int bottom);

    /** Rows of {@code table} (vocab, dim) picked by {@code ids}: the result is (ids.length, dim). */
    Tensor embedding(Tensor table, int[] ids);

    // ---- linear algebra --------------------------------------------------------------------

    /** Batched matrix product of (..., m, k) and (..., k, n); leading dimensions must match. */
    Tensor matmul(Tensor a, Tensor b);

    /** {@code x · weightᵀ + bias} over the last dimension; weight (out, in); bias (out) or null. */
    Tensor linear(Tensor x, Tensor weight, Tensor bias);

    /** 2-D convolution with symmetric zero padding; weight (out, in, kh, kw); bias (out) or null. */
    Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding);

    // ---- normalisation and activation ------------------------------------------------------

    /** Group normalisation over (channels/groups, h, w) of an (n, c, ...) tensor, with per-channel affine. */
    Tensor groupNorm(Tensor x, int groups, Tensor gamma, Tensor beta, float eps);

    /** Layer normalisation over the last dimension with affine (gamma, beta may be null: 1 and 0). */
    Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps);

    /** Softmax over the last dimension. */
    Tensor softmax(Tensor x);

    /** {@code a * gelu(gate)} where the last dimension of {@code x} is {@code [a, gate]} (GEGLU). */
    Tensor geglu(Tensor x);

    // ---- attention and resampling ----------------------------------------------------------

    /**
     * Multi-head scaled dot-product attention. {@code q} is (batch, nq, heads·d), {@code k} and
     * {@code v} (batch, nk, heads·d); the result is (batch, nq, heads·d). {@code causal} masks
     * keys after the query position (CLIP's text model).
     */
    Tensor attention(Tensor q, Tensor k, Tensor v, int heads, boolean causal);

    /**
     * Nearest-neighbour resize of the last two dimensions to (height, width), torch's
     * {@code interpolate(mode="nearest")}: source index floor(i · in/out) with the scale in float32.
     * The UNet resizes to its skip connection's size, which is not always twice the input.
     */
    Tensor upsampleNearest(Tensor x, int height, int width);

    // ---- steps of the models and samplers, on the backend so that nothing reads a tensor back mid-step ----

    /**
     * openaimodel's {@code timestep_embedding}, (values.length, dim): for each value v, cos(v·f_i)
     * then sin(v·f_i) for i below dim/2, with f_i = exp(−ln(10000)·i/(dim/2)); the frequencies, the
     * products and the results rounded to float32 as torch computes them (an odd dim's last column is 0).
     */
    Tensor timestepEmbedding(float[] values, int dim);

    /**
     * Prompt weighting (ComfyUI's ClipTokenWeightEncoder): each token state of {@code z} (n, tokens,
     * width) moved toward or away from the same token of {@code empty} (1, tokens, width),
     * {@code (z − empty)·w + empty} with {@code w = weights[k·tokens + j]}, each operation rounded to
     * float32; a token of weight exactly 1 is copied unchanged.
     */
    Tensor weightTokens(Tensor z, Tensor empty, float[] weights);

    /**
     * dpm_adaptive's error estimate over same-shaped tensors:
     * ‖(low − high) / max(atol, rtol·max(|low|, |previous|))‖₂ / √n, each quotient in float32 as
     * torch gives it, the squares summed in double; the norm and √n rounded to float32.
     */
    double scaledErrorNorm(Tensor low, Tensor high, Tensor previous, float atol, float rtol);

    /**
     * Tiled decoding's blend (ComfyUI's tiled_scale): each tile (1, c, th, tw) placed with its top-left
     * corner at (tops[i], lefts[i]) of a (1, c, height, width) canvas and weighted by a mask that ramps
     * over {@code feather} pixels from each of its edges ((d + 1)/feather at distance d below feather,
     * 1 inside); the weighted sum divided by the sum of the masks. Tiles are added in order, in float32.
     */
    Tensor blendTiles(List<Tensor> tiles, int[] tops, int[] lefts, int height, int width, int feather);

    /** Nearest-neighbour upsampling of the last two dimensions by 2. */
    default Tensor upsampleNearest2x(Tensor x) {
        return upsampleNearest(x, 2 * x.dim(-2), 2 * x.dim(-1));
    }
}

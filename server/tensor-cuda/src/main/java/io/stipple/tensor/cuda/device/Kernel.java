package io.stipple.tensor.cuda.device;

/**
 * The kernels of {@code src/main/cuda/stipple_kernels.cu}, by the name they are exported under:
 * the GPU module's function name, and {@code stipple_launch_<name>} in the emulated library.
 */
public enum Kernel {
    F32_TO_BF16("f32_to_bf16"),
    BF16_TO_F32("bf16_to_f32"),
    F32_TO_F16("f32_to_f16"),
    F16_TO_F32("f16_to_f32"),
    ADD_SCALED("add_scaled"),
    SILU_F32("silu_f32"),
    SOFTMAX_ROWS("softmax_rows"),
    LAYER_NORM_ROWS("layer_norm_rows"),
    GROUP_NORM("group_norm"),
    GEGLU("geglu"),
    RESIZE_NEAREST("resize_nearest"),
    TIMESTEP_EMBEDDING("timestep_embedding"),
    ATTENTION_ROWS("attention_rows"),
    IM2COL("im2col");

    /** The largest head size {@link #ATTENTION_ROWS} takes (SDXL's 64, SD1.5's 40 to 160, and the tiny models'). */
    public static final int MAX_HEAD = 160;

    /** The block size the row and group kernels' shared memory is sized for. */
    public static final int BLOCK = 256;

    private final String symbol;

    Kernel(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }
}

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
    /** {@link #ATTENTION_ROWS} for heads of at most 64 channels (SD1.5's 40, SDXL's 64), with smaller per-thread arrays. */
    ATTENTION_ROWS_64("attention_rows_64"),
    IM2COL("im2col"),
    BINARY_BROADCAST("binary_broadcast"),
    BINARY_SCALAR("binary_scalar"),
    CLAMP_F32("clamp_f32"),
    UNARY_F32("unary_f32"),
    REDUCE_F32("reduce_f32"),
    SCALED_ERROR_PARTIALS("scaled_error_partials"),
    FILL_F32("fill_f32"),
    STRIDED_COPY("strided_copy"),
    EMBEDDING_F32("embedding_f32"),
    EMBEDDING_BF16("embedding_bf16"),
    EMBEDDING_F16("embedding_f16"),
    WEIGHT_TOKENS("weight_tokens"),
    BLEND_TILE_ACCUMULATE("blend_tile_accumulate"),
    BLEND_TILES_DIVIDE("blend_tiles_divide");

    /** The rank {@link #BINARY_BROADCAST}'s shapes are padded to (on the left, with 1s). */
    public static final int MAX_RANK = 6;

    /** {@link #BINARY_BROADCAST}'s and {@link #BINARY_SCALAR}'s {@code op} argument. */
    public static final int ADD = 0, SUB = 1, MUL = 2, DIV = 3;

    /** The largest head size {@link #ATTENTION_ROWS} takes (SDXL's 64, SD1.5's 40 to 160, and the tiny models'). */
    public static final int MAX_HEAD = 160;

    /** The largest head size {@link #ATTENTION_ROWS_64} takes. */
    public static final int SMALL_HEAD = 64;

    /** {@link #REDUCE_F32}'s {@code op} argument. */
    public static final int SUM = 0, MAX_ABS = 1;

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

package io.stipple.tensor;

/** The elementwise functions a backend implements; a closed set so that every backend can fuse them. */
public enum UnaryOp {
    NEG,
    ABS,
    EXP,
    LOG,
    SQRT,
    SQUARE,
    SIN,
    COS,
    /** x·sigmoid(x). */
    SILU,
    /** x·Φ(x) with the exact error function (torch's default GELU). */
    GELU,
    /** The tanh approximation of GELU. */
    GELU_TANH,
    /** x·sigmoid(1.702·x) (OpenAI CLIP). */
    QUICK_GELU,
    SIGMOID
}

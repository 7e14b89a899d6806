// Stipple's CUDA kernels. nvcc compiles this file for the GPU (sm_90 code and compute_80 PTX); g++
// compiles the very same file for the host with emulation/cuda_emulation.h, so that CI runs every
// kernel against the CPU backend. Tensors are contiguous, row-major, float32 unless the name says
// otherwise; statistics and softmax accumulate in float32 whatever the storage type.
//
// Launch shapes, decided by the host side (see CudaKernels.java):
//   elementwise and conversions: grid-stride loops, any grid;
//   row kernels (softmax, layer norm): one block per row, BLOCK threads;
//   group norm: one block per (batch, group), BLOCK threads;
//   reductions (reduce_f32, scaled_error_partials): any grid of blocks of a multiple of 32 threads,
//   at most BLOCK, one partial per block, then reduce_f32 with one block over the partials;
//   broadcasting, layout, embedding and step kernels: grid-stride loops, any grid.
#ifdef __CUDACC__
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#endif

#ifndef STIPPLE_KERNEL_ENTRY
#define STIPPLE_KERNEL_ENTRY(name)
#endif

namespace {

constexpr int BLOCK = 256;  // threads of a row or group block; a multiple of the warp size
constexpr unsigned FULL_MASK = 0xffffffffu;

__device__ __forceinline__ float warp_sum(float v) {
    for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_xor_sync(FULL_MASK, v, offset);
    return v;
}

__device__ __forceinline__ float warp_max(float v) {
    for (int offset = 16; offset > 0; offset >>= 1) v = fmaxf(v, __shfl_xor_sync(FULL_MASK, v, offset));
    return v;
}

// The sum over the block of each thread's v; every thread gets it. Called by all threads.
__device__ float block_sum(float v, float* scratch) {
    int lane = threadIdx.x % 32;
    int warp = threadIdx.x / 32;
    v = warp_sum(v);
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    int warps = (blockDim.x + 31) / 32;
    float total = (int) threadIdx.x < warps ? scratch[threadIdx.x] : 0.0f;
    if (warp == 0) {
        total = warp_sum(total);
        if (lane == 0) scratch[0] = total;
    }
    __syncthreads();
    total = scratch[0];
    __syncthreads();  // scratch is free again for the caller's next reduction
    return total;
}

__device__ float block_max(float v, float* scratch) {
    int lane = threadIdx.x % 32;
    int warp = threadIdx.x / 32;
    v = warp_max(v);
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    int warps = (blockDim.x + 31) / 32;
    float m = (int) threadIdx.x < warps ? scratch[threadIdx.x] : -INFINITY;
    if (warp == 0) {
        m = warp_max(m);
        if (lane == 0) scratch[0] = m;
    }
    __syncthreads();
    m = scratch[0];
    __syncthreads();
    return m;
}

__device__ __forceinline__ float silu(float x) { return x / (1.0f + expf(-x)); }

}  // namespace

// ---- conversions ------------------------------------------------------------------------------

extern "C" __global__ void f32_to_bf16(const float* __restrict__ in, __nv_bfloat16* __restrict__ out, long long n) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x)
        out[i] = __float2bfloat16(in[i]);
}
STIPPLE_KERNEL_ENTRY(f32_to_bf16)

extern "C" __global__ void bf16_to_f32(const __nv_bfloat16* __restrict__ in, float* __restrict__ out, long long n) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x)
        out[i] = __bfloat162float(in[i]);
}
STIPPLE_KERNEL_ENTRY(bf16_to_f32)

extern "C" __global__ void f32_to_f16(const float* __restrict__ in, __half* __restrict__ out, long long n) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x)
        out[i] = __float2half(in[i]);
}
STIPPLE_KERNEL_ENTRY(f32_to_f16)

extern "C" __global__ void f16_to_f32(const __half* __restrict__ in, float* __restrict__ out, long long n) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x)
        out[i] = __half2float(in[i]);
}
STIPPLE_KERNEL_ENTRY(f16_to_f32)

// ---- elementwise ------------------------------------------------------------------------------

// out = a + b * scale (the sampler's x + d·dt, and a residual add with scale 1)
extern "C" __global__ void add_scaled(const float* __restrict__ a, const float* __restrict__ b, float scale,
                                      float* __restrict__ out, long long n) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x)
        out[i] = __fadd_rn(a[i], __fmul_rn(b[i], scale));  // two roundings, as CpuOps.addScaled: nvcc would fuse a + b·s into one FMA
}
STIPPLE_KERNEL_ENTRY(add_scaled)

extern "C" __global__ void silu_f32(const float* __restrict__ in, float* __restrict__ out, long long n) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x)
        out[i] = silu(in[i]);
}
STIPPLE_KERNEL_ENTRY(silu_f32)

// ---- rows -------------------------------------------------------------------------------------

// Softmax over each row of (rows, cols): one block per row.
extern "C" __global__ void softmax_rows(const float* __restrict__ in, float* __restrict__ out, int cols) {
    __shared__ float scratch[BLOCK / 32];
    const float* x = in + (long long) blockIdx.x * cols;
    float* y = out + (long long) blockIdx.x * cols;
    float m = -INFINITY;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) m = fmaxf(m, x[j]);
    m = block_max(m, scratch);
    float s = 0.0f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) s += expf(x[j] - m);
    s = block_sum(s, scratch);
    float inv = 1.0f / s;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) y[j] = expf(x[j] - m) * inv;
}
STIPPLE_KERNEL_ENTRY(softmax_rows)

// Layer norm over each row of (rows, cols), with optional affine (gamma, beta may be null).
extern "C" __global__ void layer_norm_rows(const float* __restrict__ in, const float* __restrict__ gamma, const float* __restrict__ beta,
                                           float* __restrict__ out, int cols, float eps) {
    __shared__ float scratch[BLOCK / 32];
    const float* x = in + (long long) blockIdx.x * cols;
    float* y = out + (long long) blockIdx.x * cols;
    float s = 0.0f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) s += x[j];
    float mean = block_sum(s, scratch) / cols;
    float v = 0.0f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        float d = x[j] - mean;
        v += d * d;
    }
    float rstd = rsqrtf(block_sum(v, scratch) / cols + eps);
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        float n = (x[j] - mean) * rstd;
        y[j] = (gamma ? n * gamma[j] : n) + (beta ? beta[j] : 0.0f);
    }
}
STIPPLE_KERNEL_ENTRY(layer_norm_rows)

// Group norm of (batch, channels, spatial) with per-channel affine (gamma, beta may be null), then SiLU when fuse_silu is
// non-zero (the ResBlock's norm + activation in one pass). One block per (batch, group).
extern "C" __global__ void group_norm(const float* __restrict__ in, const float* __restrict__ gamma, const float* __restrict__ beta,
                                      float* __restrict__ out, int channels, int spatial, int groups, float eps, int fuse_silu) {
    __shared__ float scratch[BLOCK / 32];
    int per_group = channels / groups;
    int batch = blockIdx.x / groups;
    int group = blockIdx.x % groups;
    long long base = ((long long) batch * channels + (long long) group * per_group) * spatial;
    long long count = (long long) per_group * spatial;
    const float* x = in + base;
    float* y = out + base;
    float s = 0.0f;
    for (long long i = threadIdx.x; i < count; i += blockDim.x) s += x[i];
    float mean = block_sum(s, scratch) / count;
    float v = 0.0f;
    for (long long i = threadIdx.x; i < count; i += blockDim.x) {
        float d = x[i] - mean;
        v += d * d;
    }
    float rstd = rsqrtf(block_sum(v, scratch) / count + eps);
    for (long long i = threadIdx.x; i < count; i += blockDim.x) {
        int c = group * per_group + (int) (i / spatial);
        float n = (x[i] - mean) * rstd;
        if (gamma) n = n * gamma[c];  // gamma and beta may be null (1 and 0), as in Ops.groupNorm
        if (beta) n = n + beta[c];
        y[i] = fuse_silu ? silu(n) : n;
    }
}
STIPPLE_KERNEL_ENTRY(group_norm)

// GEGLU over the last dimension of (rows, 2·inner): out = a · gelu(gate), x = [a, gate]; gelu with erf.
extern "C" __global__ void geglu(const float* __restrict__ in, float* __restrict__ out, long long rows, int inner) {
    long long n = rows * inner;
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        long long r = i / inner;
        int j = (int) (i % inner);
        float a = in[r * 2 * inner + j];
        float g = in[r * 2 * inner + inner + j];
        out[i] = a * (0.5f * g * (1.0f + erff(g * 0.70710678f)));
    }
}
STIPPLE_KERNEL_ENTRY(geglu)

// Nearest-neighbour resize of the last two dimensions of (planes, h, w) to (planes, oh, ow), torch's
// interpolate(mode="nearest"): source index floor(i · (in / out)) with the scale in float32.
extern "C" __global__ void resize_nearest(const float* __restrict__ in, float* __restrict__ out, long long planes, int h, int w,
                                          int oh, int ow) {
    float sy = (float) h / (float) oh;
    float sx = (float) w / (float) ow;
    long long n = planes * oh * ow;
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        long long p = i / ((long long) oh * ow);
        int y = (int) ((i / ow) % oh);
        int x = (int) (i % ow);
        int iy = min((int) floorf(y * sy), h - 1);
        int ix = min((int) floorf(x * sx), w - 1);
        out[i] = in[(p * h + iy) * w + ix];
    }
}
STIPPLE_KERNEL_ENTRY(resize_nearest)

// openaimodel.py's timestep_embedding of (count) values into (count, dim): cosines first, then sines,
// frequencies exp(-ln(10000)·i/half) computed as torch does on float32 tensors.
extern "C" __global__ void timestep_embedding(const float* __restrict__ t, float* __restrict__ out, int count, int dim) {
    int half = dim / 2;
    long long n = (long long) count * half;
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        int b = (int) (i / half);
        int k = (int) (i % half);
        float freq = expf(-9.2103403719761836f * (float) k / (float) half);  // ln(10000) as a float32
        float arg = t[b] * freq;
        out[(long long) b * dim + k] = cosf(arg);
        out[(long long) b * dim + half + k] = sinf(arg);
    }
}
STIPPLE_KERNEL_ENTRY(timestep_embedding)

// Multi-head attention with an online softmax (flash attention's recurrence, one query row per
// thread): q (batch, nq, heads·d), k and v (batch, nk, heads·d), out like q. Grid (batch·heads,
// ceil(nq / blockDim.x)). The block walks the keys in tiles of KEY_TILE that its threads load into
// shared memory together, so that each key row is read from global memory once per block rather than
// once per query. Every score is scale·q·k accumulated in float32, keys in order, as before tiling.
// HEAD is the largest d an instantiation holds in its per-thread arrays: attention_rows_64 for SD1.5's
// and SDXL's heads of 40 and 64 (fewer registers), attention_rows for up to MAX_HEAD.
constexpr int MAX_HEAD = 160;
constexpr int KEY_TILE = 32;

template <int HEAD>
__device__ void attention_tiled(const float* __restrict__ q, const float* __restrict__ k, const float* __restrict__ v,
                                float* __restrict__ out, int nq, int nk, int heads, int d, float scale, int causal) {
    __shared__ float ks[KEY_TILE * HEAD];
    __shared__ float vs[KEY_TILE * HEAD];
    int bh = blockIdx.x;
    int batch = bh / heads;
    int head = bh % heads;
    int row = blockIdx.y * blockDim.x + threadIdx.x;
    bool active = row < nq;  // no early return: every thread loads tiles and meets at __syncthreads
    int width = heads * d;
    float qv[HEAD];
    float acc[HEAD];
    if (active) {
        const float* qr = q + ((long long) batch * nq + row) * width + head * d;
        for (int i = 0; i < d; i++) {
            qv[i] = qr[i];
            acc[i] = 0.0f;
        }
    }
    float m = -INFINITY;
    float l = 0.0f;
    int keys = causal ? min(nk, row + 1) : nk;
    int block_last_row = min(nq, (int) ((blockIdx.y + 1) * blockDim.x)) - 1;
    int block_keys = causal ? min(nk, block_last_row + 1) : nk;  // the most keys any thread of the block reads
    for (int t0 = 0; t0 < block_keys; t0 += KEY_TILE) {
        int tile = min(KEY_TILE, block_keys - t0);
        for (int i = threadIdx.x; i < tile * d; i += blockDim.x) {
            int j = i / d;
            int c = i % d;
            long long at = ((long long) batch * nk + t0 + j) * width + head * d + c;
            ks[j * d + c] = k[at];
            vs[j * d + c] = v[at];
        }
        __syncthreads();
        if (active) {
            int last = min(tile, keys - t0);
            for (int j = 0; j < last; j++) {
                float s = 0.0f;
                for (int i = 0; i < d; i++) s += qv[i] * ks[j * d + i];
                s *= scale;
                float m2 = fmaxf(m, s);
                float correction = expf(m - m2);  // 0 on the first key (m is -inf)
                float p = expf(s - m2);
                l = l * correction + p;
                for (int i = 0; i < d; i++) acc[i] = acc[i] * correction + p * vs[j * d + i];
                m = m2;
            }
        }
        __syncthreads();  // the tile is read by all before the next overwrites it
    }
    if (active) {
        float* o = out + ((long long) batch * nq + row) * width + head * d;
        float inv = keys > 0 ? 1.0f / l : 0.0f;  // no keys at all: zeros, as the CPU backend gives
        for (int i = 0; i < d; i++) o[i] = acc[i] * inv;
    }
}

extern "C" __global__ void attention_rows(const float* __restrict__ q, const float* __restrict__ k, const float* __restrict__ v,
                                          float* __restrict__ out, int nq, int nk, int heads, int d, float scale, int causal) {
    attention_tiled<MAX_HEAD>(q, k, v, out, nq, nk, heads, d, scale, causal);
}
STIPPLE_KERNEL_ENTRY(attention_rows)

extern "C" __global__ void attention_rows_64(const float* __restrict__ q, const float* __restrict__ k, const float* __restrict__ v,
                                             float* __restrict__ out, int nq, int nk, int heads, int d, float scale, int causal) {
    attention_tiled<64>(q, k, v, out, nq, nk, heads, d, scale, causal);
}
STIPPLE_KERNEL_ENTRY(attention_rows_64)

// im2col for a 2-D convolution: x (batch, channels, h, w) to columns (batch, channels·kh·kw, oh·ow),
// zero where the window hangs over the padding, so that each batch element's convolution is the GEMM
// weight (out, channels·kh·kw) · columns. Row order (channel, ky, kx) matches torch's weight layout.
extern "C" __global__ void im2col(const float* __restrict__ x, float* __restrict__ cols, int batch, int channels, int h, int w,
                                  int kh, int kw, int stride, int padding, int oh, int ow) {
    long long n = (long long) batch * channels * kh * kw * oh * ow;
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        int ox = (int) (i % ow);
        int oy = (int) ((i / ow) % oh);
        long long row = i / ((long long) oh * ow);  // (b, c, ky, kx)
        int kx = (int) (row % kw);
        int ky = (int) ((row / kw) % kh);
        int c = (int) ((row / ((long long) kw * kh)) % channels);
        int b = (int) (row / ((long long) kw * kh * channels));
        int iy = oy * stride - padding + ky;
        int ix = ox * stride - padding + kx;
        cols[i] = iy >= 0 && iy < h && ix >= 0 && ix < w ? x[(((long long) b * channels + c) * h + iy) * w + ix] : 0.0f;
    }
}
STIPPLE_KERNEL_ENTRY(im2col)


// ---- broadcasting binary, scalar and unary elementwise ----------------------------------------
// Launch shape of every kernel in this section: grid-stride loops, any grid and block.
// Products and sums use __fmul_rn/__fadd_rn where the CPU backend rounds each one: nvcc would
// otherwise contract a*b+c into one FMA, which rounds once and differs from torch's CPU in the last bit.

constexpr int MAX_RANK = 6;  // axes walked; the host drops axes of size 1 and pads the rest on the left with 1s

enum BinaryOp { BIN_ADD = 0, BIN_SUB = 1, BIN_MUL = 2, BIN_DIV = 3 };

// A strided walk, passed by value in the launch's parameters (no copy to device memory): the box's
// dims padded on the left to MAX_RANK with 1s, then two sets of element strides (0 where padded).
struct StridedMeta {
    int v[3 * MAX_RANK];
};

__device__ __forceinline__ float binary_apply(int op, float x, float y) {
    switch (op) {
        case BIN_ADD: return __fadd_rn(x, y);
        case BIN_SUB: return __fsub_rn(x, y);
        case BIN_MUL: return __fmul_rn(x, y);
        default: return x / y;  // IEEE division (nvcc's default -prec-div=true), as torch divides
    }
}

// out = a op b with numpy broadcasting. meta: the output's dims padded on
// the left to MAX_RANK, then a's and b's element strides at each output axis (0 along axes they are
// broadcast over), as io.stipple.tensor.rules.Broadcast.strides gives them. n: the output's size.
extern "C" __global__ void binary_broadcast(const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ out,
                                            const StridedMeta meta, int op, long long n) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        long long rem = i;
        long long ia = 0, ib = 0;
#pragma unroll
        for (int d = MAX_RANK - 1; d >= 0; d--) {
            long long idx = rem % meta.v[d];
            rem /= meta.v[d];
            ia += idx * meta.v[MAX_RANK + d];
            ib += idx * meta.v[2 * MAX_RANK + d];
        }
        out[i] = binary_apply(op, a[ia], b[ib]);
    }
}
STIPPLE_KERNEL_ENTRY(binary_broadcast)

// out = a op s for a scalar s (Ops.scale: BIN_MUL, addScalar: BIN_ADD, divScalar: BIN_DIV, which
// divides each element rather than multiplying by 1/s, as the CPU backend does).
extern "C" __global__ void binary_scalar(const float* __restrict__ a, float s, float* __restrict__ out, int op, long long n) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x)
        out[i] = binary_apply(op, a[i], s);
}
STIPPLE_KERNEL_ENTRY(binary_scalar)

// Java's Math.max and Math.min, which the CPU backend's clamp uses: a NaN argument wins (fmaxf and
// fminf would drop it; torch.clamp keeps it), and +0 is larger than -0.
__device__ __forceinline__ float java_max(float a, float b) {
    if (a != a) return a;
    if (a == 0.0f && b == 0.0f) return __float_as_int(a) < 0 ? b : a;
    return a >= b ? a : b;
}
__device__ __forceinline__ float java_min(float a, float b) {
    if (a != a) return a;
    if (a == 0.0f && b == 0.0f) return __float_as_int(a) < 0 ? a : b;
    return a <= b ? a : b;
}

// min(hi, max(lo, x)) in that order, as CpuOps.clamp (so lo > hi gives hi everywhere, as torch).
extern "C" __global__ void clamp_f32(const float* __restrict__ in, float* __restrict__ out, float lo, float hi, long long n) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x)
        out[i] = java_min(hi, java_max(lo, in[i]));
}
STIPPLE_KERNEL_ENTRY(clamp_f32)

// io.stipple.tensor.UnaryOp, by ordinal: the host passes op.ordinal(), so the order must match the enum.
enum Unary { U_NEG, U_ABS, U_EXP, U_LOG, U_SQRT, U_SQUARE, U_SIN, U_COS, U_SILU, U_GELU, U_GELU_TANH, U_QUICK_GELU, U_SIGMOID };

__device__ __forceinline__ float unary_apply(int op, float x) {
    switch (op) {
        case U_NEG: return -x;
        case U_ABS: return fabsf(x);
        case U_EXP: return expf(x);
        case U_LOG: return logf(x);
        case U_SQRT: return sqrtf(x);
        case U_SQUARE: return __fmul_rn(x, x);
        case U_SIN: return sinf(x);
        case U_COS: return cosf(x);
        case U_SILU: return x / (1.0f + expf(-x));
        case U_GELU: return 0.5f * x * (1.0f + erff(x * 0.70710678f));  // torch's exact GELU, with erf
        case U_GELU_TANH: return 0.5f * x * (1.0f + tanhf(0.7978845608f * (x + 0.044715f * x * x * x)));
        case U_QUICK_GELU: return x / (1.0f + expf(-1.702f * x));  // OpenAI CLIP's x·sigmoid(1.702x)
        default: return 1.0f / (1.0f + expf(-x));  // U_SIGMOID
    }
}

extern "C" __global__ void unary_f32(const float* __restrict__ in, float* __restrict__ out, int op, long long n) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x)
        out[i] = unary_apply(op, in[i]);
}
STIPPLE_KERNEL_ENTRY(unary_f32)


// ---- reductions over all elements -------------------------------------------------------------
// Launch shape: any grid of blocks of a multiple of 32 threads (whole warps: the shuffles name all 32
// lanes), at most BLOCK (the scratch is sized for BLOCK); each
// block writes its result to partials[blockIdx.x]. A second launch of reduce_f32 with one block over
// those partials (n = the first grid's size) gives the total; the host reads that one float. Two
// passes rather than atomics: the result does not depend on the order blocks finish in.

enum Reduction { RED_SUM = 0, RED_MAX_ABS = 1 };

// max that keeps a NaN, as Math.max in CpuOps.maxAbs does (fmaxf would drop it).
__device__ __forceinline__ float nan_max(float a, float b) { return (a != a || a > b) ? a : b; }

__device__ float block_reduce(float v, float* scratch, int op) {
    int lane = threadIdx.x % 32;
    int warp = threadIdx.x / 32;
    for (int offset = 16; offset > 0; offset >>= 1) {
        float other = __shfl_xor_sync(FULL_MASK, v, offset);
        v = op == RED_SUM ? v + other : nan_max(v, other);
    }
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    int warps = (blockDim.x + 31) / 32;
    float r = (int) threadIdx.x < warps ? scratch[threadIdx.x] : 0.0f;  // 0: the identity of both
    if (warp == 0) {
        for (int offset = 16; offset > 0; offset >>= 1) {
            float other = __shfl_xor_sync(FULL_MASK, r, offset);
            r = op == RED_SUM ? r + other : nan_max(r, other);
        }
    }
    return r;  // valid in thread 0
}

// The sum (RED_SUM) or the largest |x| (RED_MAX_ABS) of in[0, n), per block, in float32.
extern "C" __global__ void reduce_f32(const float* __restrict__ in, float* __restrict__ partials, int op, long long n) {
    __shared__ float scratch[BLOCK / 32];
    float v = 0.0f;
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x)
        v = op == RED_SUM ? v + in[i] : nan_max(v, fabsf(in[i]));
    v = block_reduce(v, scratch, op);
    if (threadIdx.x == 0) partials[blockIdx.x] = v;
}
STIPPLE_KERNEL_ENTRY(reduce_f32)

// dpm_adaptive's error norm, first pass: per block, the sum of squares of
// (low − high) / max(atol, rtol·max(|low|, |previous|)), each quotient rounded to float32 as torch
// gives it (CpuOps.scaledErrorNorm). The squares are summed in float32 (the CPU sums in double); a
// reduce_f32 RED_SUM pass over the partials gives the sum, and the host takes
// (float) sqrt(sum) / (float) sqrt(n).
extern "C" __global__ void scaled_error_partials(const float* __restrict__ low, const float* __restrict__ high,
                                                 const float* __restrict__ previous, float atol, float rtol,
                                                 float* __restrict__ partials, long long n) {
    __shared__ float scratch[BLOCK / 32];
    float v = 0.0f;
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        // Java's max, as the CPU's: a NaN in previous makes the norm NaN (fmaxf would hide it)
        float delta = java_max(atol, __fmul_rn(rtol, java_max(fabsf(low[i]), fabsf(previous[i]))));
        float scaled = __fsub_rn(low[i], high[i]) / delta;
        v = __fadd_rn(v, __fmul_rn(scaled, scaled));
    }
    v = block_reduce(v, scratch, RED_SUM);
    if (threadIdx.x == 0) partials[blockIdx.x] = v;
}
STIPPLE_KERNEL_ENTRY(scaled_error_partials)


// ---- layout -----------------------------------------------------------------------------------
// Launch shape: grid-stride loops, any grid and block.

// out[i] = value (zeros for pad2d's border, Ops.full).
extern "C" __global__ void fill_f32(float* __restrict__ out, float value, long long n) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x)
        out[i] = value;
}
STIPPLE_KERNEL_ENTRY(fill_f32)

// One strided copy serves every layout op: it walks the n elements of a box of dims (meta[0, 6),
// padded on the left with 1s) in row-major order, reading in[in_offset + Σ idx·in_stride] and writing
// out[out_offset + Σ idx·out_stride] (meta[6, 12) and meta[12, 18), in elements). permute: in's
// strides permuted, out contiguous; narrow: in_offset = start·stride(axis); concat: one copy per
// part, out_offset at the part's start along the axis, out's strides those of the whole result;
// pad2d: fill_f32 with zeros, then a copy into the interior (out strides of the padded planes).
extern "C" __global__ void strided_copy(const float* __restrict__ in, float* __restrict__ out, const StridedMeta meta,
                                        long long in_offset, long long out_offset, long long n) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        long long rem = i;
        long long src = in_offset, dst = out_offset;
#pragma unroll
        for (int d = MAX_RANK - 1; d >= 0; d--) {
            long long idx = rem % meta.v[d];
            rem /= meta.v[d];
            src += idx * meta.v[MAX_RANK + d];
            dst += idx * meta.v[2 * MAX_RANK + d];
        }
        out[dst] = in[src];
    }
}
STIPPLE_KERNEL_ENTRY(strided_copy)

__device__ __forceinline__ float load_f32(const float* p, long long i) { return p[i]; }
__device__ __forceinline__ float load_f32(const __nv_bfloat16* p, long long i) { return __bfloat162float(p[i]); }
__device__ __forceinline__ float load_f32(const __half* p, long long i) { return __half2float(p[i]); }

// Rows of table (vocab, dim) picked by ids (count ints, already checked against vocab by the host):
// out (count, dim) in float32, widening a bfloat16 or float16 table as it is read (Ops.embedding).
template <typename T>
__device__ void embedding_rows(const T* __restrict__ table, const int* __restrict__ ids, float* __restrict__ out, int count, int dim) {
    long long n = (long long) count * dim;
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        long long row = i / dim;
        out[i] = load_f32(table, (long long) ids[row] * dim + i % dim);
    }
}

extern "C" __global__ void embedding_f32(const float* __restrict__ table, const int* __restrict__ ids, float* __restrict__ out, int count, int dim) {
    embedding_rows(table, ids, out, count, dim);
}
STIPPLE_KERNEL_ENTRY(embedding_f32)

extern "C" __global__ void embedding_bf16(const __nv_bfloat16* __restrict__ table, const int* __restrict__ ids, float* __restrict__ out,
                                          int count, int dim) {
    embedding_rows(table, ids, out, count, dim);
}
STIPPLE_KERNEL_ENTRY(embedding_bf16)

extern "C" __global__ void embedding_f16(const __half* __restrict__ table, const int* __restrict__ ids, float* __restrict__ out, int count,
                                         int dim) {
    embedding_rows(table, ids, out, count, dim);
}
STIPPLE_KERNEL_ENTRY(embedding_f16)


// ---- steps of the models and samplers ---------------------------------------------------------
// Launch shape: grid-stride loops, any grid and block. Each product and sum is rounded on its own
// (__fmul_rn, __fadd_rn: no FMA contraction), as the CPU backend and torch round them.

// Prompt weighting (Ops.weightTokens): z (rows = n·tokens, width), empty (tokens, width), one weight
// per row; out = (z − empty)·w + empty, and a row of weight exactly 1 copied unchanged.
extern "C" __global__ void weight_tokens(const float* __restrict__ z, const float* __restrict__ empty, const float* __restrict__ weights,
                                         float* __restrict__ out, int rows, int tokens, int width) {
    long long n = (long long) rows * width;
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        int row = (int) (i / width);
        int c = (int) (i % width);
        float w = weights[row];
        if (w == 1.0f) {
            out[i] = z[i];
        } else {
            float e = empty[(long long) (row % tokens) * width + c];
            out[i] = __fadd_rn(__fmul_rn(__fsub_rn(z[i], e), w), e);
        }
    }
}
STIPPLE_KERNEL_ENTRY(weight_tokens)

// A tile's mask along one axis: (d + 1)/feather at distance d < feather from its nearer edge, else 1.
__device__ __forceinline__ float tile_ramp(int i, int n, int feather) {
    int from_edge = min(i, n - 1 - i);
    return from_edge >= feather ? 1.0f : ((float) from_edge + 1.0f) / (float) feather;
}

// Tiled decoding's blend (Ops.blendTiles), one launch per tile, in the tiles' order (launches on one
// stream run in order, so each canvas pixel gets its tiles' terms in the CPU's order, bit for bit):
// the tile (channels, th, tw) with its top-left corner at (top, left) of the (channels, height, width)
// canvas, sum += tile·mask and weight (height, width) += mask; both zeroed by the host first. One
// thread per tile pixel: no two threads of a launch touch the same canvas element.
extern "C" __global__ void blend_tile_accumulate(const float* __restrict__ tile, float* __restrict__ sum, float* __restrict__ weight,
                                                 int channels, int th, int tw, int top, int left, int feather, int height, int width) {
    long long plane = (long long) height * width;
    long long tplane = (long long) th * tw;
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < tplane; i += (long long) gridDim.x * blockDim.x) {
        int y = (int) (i / tw);
        int x = (int) (i % tw);
        float m = __fmul_rn(tile_ramp(y, th, feather), tile_ramp(x, tw, feather));
        long long o = (long long) (top + y) * width + left + x;
        weight[o] = __fadd_rn(weight[o], m);
        for (int c = 0; c < channels; c++)
            sum[c * plane + o] = __fadd_rn(sum[c * plane + o], __fmul_rn(tile[c * tplane + i], m));
    }
}
STIPPLE_KERNEL_ENTRY(blend_tile_accumulate)

// The blend's last step: each channel of sum (channels, plane) divided by weight (plane); a pixel no
// tile covers is 0/0, NaN, as on the CPU (tiled decoding covers the whole canvas).
extern "C" __global__ void blend_tiles_divide(float* __restrict__ sum, const float* __restrict__ weight, int channels, long long plane) {
    long long n = channels * plane;
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x)
        sum[i] = sum[i] / weight[i % plane];
}
STIPPLE_KERNEL_ENTRY(blend_tiles_divide)

// Stipple's CUDA kernels. nvcc compiles this file for the GPU (sm_90 code and compute_80 PTX); g++
// compiles the very same file for the host with emulation/cuda_emulation.h, so that CI runs every
// kernel against the CPU backend. Tensors are contiguous, row-major, float32 unless the name says
// otherwise; statistics and softmax accumulate in float32 whatever the storage type.
//
// Launch shapes, decided by the host side (see CudaKernels.java):
//   elementwise and conversions: grid-stride loops, any grid;
//   row kernels (softmax, layer norm): one block per row, BLOCK threads;
//   group norm: one block per (batch, group), BLOCK threads.
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
        out[i] = a[i] + b[i] * scale;
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

// Group norm of (batch, channels, spatial) with per-channel affine, then SiLU when fuse_silu is
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
        float n = (x[i] - mean) * rstd * gamma[c] + beta[c];
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
// ceil(nq / blockDim.x)). Every score is scale·q·k accumulated in float32; d is at most MAX_HEAD.
// A first, correct version: no tiling of keys through shared memory yet.
constexpr int MAX_HEAD = 160;

extern "C" __global__ void attention_rows(const float* __restrict__ q, const float* __restrict__ k, const float* __restrict__ v,
                                          float* __restrict__ out, int nq, int nk, int heads, int d, float scale, int causal) {
    int bh = blockIdx.x;
    int batch = bh / heads;
    int head = bh % heads;
    int row = blockIdx.y * blockDim.x + threadIdx.x;
    if (row >= nq) return;
    int width = heads * d;
    const float* qr = q + ((long long) batch * nq + row) * width + head * d;
    float qv[MAX_HEAD];
    float acc[MAX_HEAD];
    for (int i = 0; i < d; i++) {
        qv[i] = qr[i];
        acc[i] = 0.0f;
    }
    float m = -INFINITY;
    float l = 0.0f;
    int keys = causal ? min(nk, row + 1) : nk;
    for (int j = 0; j < keys; j++) {
        const float* kr = k + ((long long) batch * nk + j) * width + head * d;
        float s = 0.0f;
        for (int i = 0; i < d; i++) s += qv[i] * kr[i];
        s *= scale;
        float m2 = fmaxf(m, s);
        float correction = expf(m - m2);  // 0 on the first key (m is -inf)
        float p = expf(s - m2);
        l = l * correction + p;
        const float* vr = v + ((long long) batch * nk + j) * width + head * d;
        for (int i = 0; i < d; i++) acc[i] = acc[i] * correction + p * vr[i];
        m = m2;
    }
    float* o = out + ((long long) batch * nq + row) * width + head * d;
    float inv = 1.0f / l;
    for (int i = 0; i < d; i++) o[i] = acc[i] * inv;
}
STIPPLE_KERNEL_ENTRY(attention_rows)

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

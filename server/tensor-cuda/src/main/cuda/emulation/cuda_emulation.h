// Stipple's CUDA emulation: the same kernel sources nvcc compiles, compiled for the host by g++ so
// that every kernel runs in CI without a GPU (Triton's interpreter mode and Numba's CUDA simulator
// are the same idea). Included before the kernels with `g++ -include cuda_emulation.h`.
//
// The model: a launch runs its blocks one after another on the calling OS thread; the threads of a
// block run as fibers that switch only where CUDA threads synchronise: __syncthreads()
// for the block, the *_sync warp shuffles for a warp. A scheduler runs every fiber until it waits;
// when all wait, it releases the first warp whose live threads all wait at a warp barrier, else the
// whole block if all wait at __syncthreads; anything else is a deadlock (divergent __syncthreads)
// and aborts with a message, as a GPU would hang. __shared__ is per-OS-thread static storage:
// blocks run one at a time, so each block starts from the same storage (not zeroed, as on a GPU).
//
// Fibers switch with a few instructions of our own (stipple_emu_switch below), not ucontext:
// glibc's swapcontext saves and restores the signal mask with a system call at every switch, which
// made a layer norm of 2048 rows take over a second. Their stacks are kept from launch to launch.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

struct dim3 {
    unsigned x, y, z;
    constexpr dim3(unsigned x_ = 1, unsigned y_ = 1, unsigned z_ = 1) : x(x_), y(y_), z(z_) {}
};
using uint3 = dim3;

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __restrict__ __restrict
#define __shared__ static thread_local
#define __launch_bounds__(...)

// stipple_emu_switch(save, load): pushes the callee-saved registers (and the SSE and x87 control
// words) on the current stack, stores the stack pointer in *save, loads `load` and pops what a
// switch away from it pushed. stipple_emu_start is where a new fiber's first switch returns to:
// its stack is laid out (see Fibers::prepare) so that r12 holds the argument and r13 the body.
extern "C" void stipple_emu_switch(void** save, void* load);
extern "C" void stipple_emu_start();
asm(R"(
    .text
    .p2align 4
    .hidden stipple_emu_switch
    .type stipple_emu_switch, @function
stipple_emu_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    subq $16, %rsp
    stmxcsr (%rsp)
    fnstcw 8(%rsp)
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    ldmxcsr (%rsp)
    fldcw 8(%rsp)
    addq $16, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size stipple_emu_switch, .-stipple_emu_switch

    .p2align 4
    .hidden stipple_emu_start
    .type stipple_emu_start, @function
stipple_emu_start:
    movq %r12, %rdi
    callq *%r13
    ud2
    .size stipple_emu_start, .-stipple_emu_start
)");

namespace stipple_emu {

constexpr int WARP = 32;
constexpr size_t FIBER_STACK = 256 * 1024;

// Where each fiber of the running block is, and what it waits for.
enum class State { READY, WARP_WAIT, BLOCK_WAIT, DONE };

struct Block {
    dim3 grid, block;
    dim3 block_index;
    int threads = 0;
    int current = 0;
    std::vector<void*> contexts;  // each fiber's saved stack pointer
    std::vector<State> states;
    std::vector<char*> stacks;
    void* scheduler = nullptr;
    std::vector<uint64_t> exchange;  // two banks of one slot per thread, for warp shuffles
    std::vector<uint8_t> bank;       // the bank each thread's next shuffle uses
    const void* kernel_call = nullptr;
};

inline thread_local Block* running = nullptr;

// The thread's coordinates, read by the threadIdx/blockIdx macros below.
inline dim3 thread_index() {
    const Block& b = *running;
    int t = b.current;
    return dim3(t % b.block.x, (t / b.block.x) % b.block.y, t / (b.block.x * b.block.y));
}

inline void wait(State why) {
    Block& b = *running;
    b.states[b.current] = why;
    stipple_emu_switch(&b.contexts[b.current], b.scheduler);
}

inline int lane() { return running->current % WARP; }

// Shuffles: each lane writes its value, the warp meets, each reads its source lane's. Two banks of
// slots, used in turn, keep a lane that runs ahead from overwriting a value a slower lane has yet to
// read: reusing a bank takes another meeting, which every lane reaches only after its read. (A second
// meeting per shuffle would do the same at twice the switches.)
template <typename T>
inline T exchange(T v, int src_lane, int width) {
    static_assert(sizeof(T) <= sizeof(uint64_t), "shuffle of a value wider than 8 bytes");
    Block& b = *running;
    int me = b.current;
    int warp_base = me - me % WARP;
    int segment = lane() - lane() % width;
    uint64_t slot = 0;
    std::memcpy(&slot, &v, sizeof(T));
    int bank = b.bank[me] * b.threads;
    b.bank[me] ^= 1;
    b.exchange[bank + me] = slot;
    wait(State::WARP_WAIT);
    int src = warp_base + segment + (src_lane % width + width) % width;
    T out = v;
    if (src < b.threads) {
        std::memcpy(&out, &b.exchange[bank + src], sizeof(T));
    }
    return out;
}

template <typename F>
struct Call {
    F f;
};

template <typename F>
void fiber_entry(void* p) {
    static_cast<const Call<F>*>(p)->f();
    Block& b = *running;
    b.states[b.current] = State::DONE;
    stipple_emu_switch(&b.contexts[b.current], b.scheduler);  // never resumed
    std::abort();
}

// A new fiber's stack, as stipple_emu_switch leaves one: control words, r15..r12 (r13 the body,
// r12 its argument), rbx, rbp, and stipple_emu_start as the return address; after that return the
// stack pointer is 16-byte aligned, as the ABI wants before a call.
inline void* prepare(char* stack, void (*body)(void*), void* arg) {
    uintptr_t top = (reinterpret_cast<uintptr_t>(stack) + FIBER_STACK) & ~static_cast<uintptr_t>(15);
    uint64_t* sp = reinterpret_cast<uint64_t*>(top - 16 - 72);
    sp[0] = 0x1f80;  // MXCSR: round to nearest, all exceptions masked (the default)
    sp[1] = 0x037f;  // x87 control word: the default
    sp[2] = 0;       // r15
    sp[3] = 0;       // r14
    sp[4] = reinterpret_cast<uint64_t>(body);  // r13
    sp[5] = reinterpret_cast<uint64_t>(arg);   // r12
    sp[6] = 0;       // rbx
    sp[7] = 0;       // rbp
    sp[8] = reinterpret_cast<uint64_t>(&stipple_emu_start);
    return sp;
}

// Stacks kept for the next launch on this OS thread (a launch takes them all and gives them back).
inline thread_local std::vector<char*> spare_stacks;

// Releases the first warp whose live fibers all wait at a warp barrier, else the block at
// __syncthreads; false when nothing can run (every fiber done, or a deadlock).
inline bool release(Block& b) {
    for (int w = 0; w < b.threads; w += WARP) {
        int end = w + WARP < b.threads ? w + WARP : b.threads;
        bool any = false, all = true;
        for (int t = w; t < end; t++) {
            if (b.states[t] == State::DONE) continue;
            any = true;
            all &= b.states[t] == State::WARP_WAIT;
        }
        if (any && all) {
            for (int t = w; t < end; t++)
                if (b.states[t] == State::WARP_WAIT) b.states[t] = State::READY;
            return true;
        }
    }
    bool any = false, all = true;
    for (int t = 0; t < b.threads; t++) {
        if (b.states[t] == State::DONE) continue;
        any = true;
        all &= b.states[t] == State::BLOCK_WAIT;
    }
    if (!any) return false;
    if (!all) {
        std::fprintf(stderr, "stipple cuda emulation: deadlock in block (%u,%u,%u): threads wait at different barriers "
                     "(a __syncthreads() not reached by every thread)\n", b.block_index.x, b.block_index.y, b.block_index.z);
        std::abort();
    }
    for (int t = 0; t < b.threads; t++)
        if (b.states[t] == State::BLOCK_WAIT) b.states[t] = State::READY;
    return true;
}

// Runs kernel(args...) as a grid of blocks of fibers.
template <typename... A>
void launch(void (*kernel)(A...), dim3 grid, dim3 block, A... args) {
    Block b;
    b.grid = grid;
    b.block = block;
    b.threads = static_cast<int>(block.x * block.y * block.z);
    b.contexts.resize(b.threads);
    b.states.resize(b.threads);
    b.exchange.resize(2 * b.threads);
    b.bank.resize(b.threads);
    b.stacks.swap(spare_stacks);
    while (static_cast<int>(b.stacks.size()) < b.threads) b.stacks.push_back(static_cast<char*>(std::malloc(FIBER_STACK)));
    auto body = [&]() { kernel(args...); };
    Call<decltype(body)> call{body};
    Block* outer = running;
    running = &b;
    for (unsigned bz = 0; bz < grid.z; bz++)
        for (unsigned by = 0; by < grid.y; by++)
            for (unsigned bx = 0; bx < grid.x; bx++) {
                b.block_index = dim3(bx, by, bz);
                for (int t = 0; t < b.threads; t++) {
                    b.contexts[t] = prepare(b.stacks[t], &fiber_entry<decltype(body)>, &call);
                    b.states[t] = State::READY;
                    b.bank[t] = 0;
                }
                do {
                    for (int t = 0; t < b.threads; t++) {
                        if (b.states[t] != State::READY) continue;
                        b.current = t;
                        stipple_emu_switch(&b.scheduler, b.contexts[t]);
                    }
                } while (release(b));
            }
    running = outer;
    if (spare_stacks.empty()) {
        spare_stacks.swap(b.stacks);
    } else {
        for (char* st : b.stacks) std::free(st);  // a launch nested in another kept its own
    }
}

// Unpacks cuLaunchKernel's argument array (a pointer to each argument) into the kernel's types.
template <typename... A, size_t... I>
void launch_packed(void (*kernel)(A...), dim3 grid, dim3 block, void** args, std::index_sequence<I...>) {
    launch(kernel, grid, block, *static_cast<A*>(args[I])...);
}

template <typename... A>
void launch_packed(void (*kernel)(A...), dim3 grid, dim3 block, void** args) {
    launch_packed(kernel, grid, block, args, std::index_sequence_for<A...>{});
}

}  // namespace stipple_emu

#define threadIdx (stipple_emu::thread_index())
#define blockIdx (stipple_emu::running->block_index)
#define blockDim (stipple_emu::running->block)
#define gridDim (stipple_emu::running->grid)
#define warpSize (stipple_emu::WARP)

inline void __syncthreads() { stipple_emu::wait(stipple_emu::State::BLOCK_WAIT); }
inline void __syncwarp(unsigned = 0xffffffffu) { stipple_emu::wait(stipple_emu::State::WARP_WAIT); }

template <typename T>
inline T __shfl_xor_sync(unsigned, T v, int lane_mask, int width = warpSize) {
    return stipple_emu::exchange(v, stipple_emu::lane() ^ lane_mask, width);
}
template <typename T>
inline T __shfl_down_sync(unsigned, T v, unsigned delta, int width = warpSize) {
    int src = stipple_emu::lane() % width + static_cast<int>(delta);
    T other = stipple_emu::exchange(v, src < width ? src : stipple_emu::lane() % width, width);
    return other;
}
template <typename T>
inline T __shfl_sync(unsigned, T v, int src_lane, int width = warpSize) {
    return stipple_emu::exchange(v, src_lane, width);
}

// Atomics: blocks run one at a time, but callers may launch from several OS threads at once.
inline float atomicAdd(float* address, float v) {
    float old;
    __atomic_load(address, &old, __ATOMIC_RELAXED);
    float desired = old + v;
    while (!__atomic_compare_exchange(address, &old, &desired, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
        desired = old + v;
    }
    return old;
}
inline int atomicAdd(int* address, int v) { return __atomic_fetch_add(address, v, __ATOMIC_RELAXED); }
inline float atomicMax(float* address, float v) {
    float old;
    __atomic_load(address, &old, __ATOMIC_RELAXED);
    while (old < v && !__atomic_compare_exchange(address, &old, &v, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
    }
    return old;
}

// CUDA's integer min and max (float code uses fminf/fmaxf).
inline int min(int a, int b) { return a < b ? a : b; }
inline int max(int a, int b) { return a > b ? a : b; }
inline long long min(long long a, long long b) { return a < b ? a : b; }
inline long long max(long long a, long long b) { return a > b ? a : b; }

// Math intrinsics as the host's libm computes them (the fast variants are exact here).
inline float __expf(float x) { return expf(x); }
inline float __logf(float x) { return logf(x); }
inline float __fdividef(float a, float b) { return a / b; }
inline float rsqrtf(float x) { return 1.0f / sqrtf(x); }
// The round-to-nearest arithmetic intrinsics kernels use to keep nvcc from contracting a*b+c into
// an FMA; the host compiles them as the plain operations (g++ contracts nothing without -mfma).
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __saturatef(float x) { return x < 0 ? 0 : x > 1 ? 1 : x; }
inline float __int_as_float(int i) { float f; std::memcpy(&f, &i, 4); return f; }
inline int __float_as_int(float f) { int i; std::memcpy(&i, &f, 4); return i; }

// Half and bfloat16 storage types with round-to-nearest-even conversions, bit for bit as CUDA's.
struct __nv_bfloat16 {
    uint16_t bits;
};
struct __half {
    uint16_t bits;
};

inline __nv_bfloat16 __float2bfloat16(float f) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    if ((u & 0x7fffffffu) > 0x7f800000u) return __nv_bfloat16{static_cast<uint16_t>((u >> 16) | 0x40)};  // quiet NaN
    u += 0x7fffu + ((u >> 16) & 1u);
    return __nv_bfloat16{static_cast<uint16_t>(u >> 16)};
}
inline float __bfloat162float(__nv_bfloat16 b) {
    uint32_t u = static_cast<uint32_t>(b.bits) << 16;
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}

inline __half __float2half(float f) {
    uint32_t x;
    std::memcpy(&x, &f, 4);
    uint32_t sign = (x >> 16) & 0x8000u;
    uint32_t abs = x & 0x7fffffffu;
    if (abs > 0x7f800000u) return __half{static_cast<uint16_t>(sign | 0x7e00u)};
    if (abs >= 0x477ff000u) return __half{static_cast<uint16_t>(sign | 0x7c00u)};  // rounds to infinity
    if (abs < 0x38800000u) {  // subnormal half (or zero): scale into integer units of 2^-24
        float a;
        std::memcpy(&a, &abs, 4);
        float scaled = a * 16777216.0f;  // exact: a power of two
        uint32_t m = static_cast<uint32_t>(nearbyintf(scaled));  // ties to even under the default mode
        return __half{static_cast<uint16_t>(sign | m)};
    }
    uint32_t mant = abs & 0x7fffffu;
    uint32_t exp = (abs >> 23) - 127 + 15;
    uint32_t h = (exp << 10) | (mant >> 13);
    uint32_t rest = mant & 0x1fffu;
    if (rest > 0x1000u || (rest == 0x1000u && (h & 1u))) h++;
    return __half{static_cast<uint16_t>(sign | h)};
}
inline float __half2float(__half h) {
    uint32_t sign = (h.bits & 0x8000u) << 16;
    uint32_t exp = (h.bits >> 10) & 0x1fu;
    uint32_t mant = h.bits & 0x3ffu;
    uint32_t u;
    if (exp == 0) {
        float f = ldexpf(static_cast<float>(mant), -24);
        std::memcpy(&u, &f, 4);
        u |= sign;
    } else if (exp == 31) {
        u = sign | 0x7f800000u | (mant << 13);
    } else {
        u = sign | ((exp - 15 + 127) << 23) | (mant << 13);
    }
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}

// Each kernel's host entry point: stipple_launch_<name>(grid, block, args) as cuLaunchKernel takes them.
#define STIPPLE_KERNEL_ENTRY(name)                                                                    \
    extern "C" void stipple_launch_##name(unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, \
                                          unsigned bz, void** args) {                                 \
        stipple_emu::launch_packed(name, dim3(gx, gy, gz), dim3(bx, by, bz), args);                  \
    }

// Just enough of CUDA to run the mipeaks kernels on a CPU: the threads of a block are cooperative fibers (own stacks,
// makecontext, then _setjmp/_longjmp) on one OS thread, blocks run one after another. A fiber runs until it reaches __syncthreads or a warp barrier
// (__syncwarp; __shfl_down_sync / __shfl_xor_sync exchange through a per-warp slot array between two warp
// barriers); the scheduler releases a barrier once every unfinished thread of the block (or warp) waits at it and
// aborts on a deadlock. Deterministic and slow, but it executes the kernels' own code, so their logic is tested on
// machines without a GPU (native/mipeaks_emu.cpp). Every shuffle in the kernels is executed by whole warps.
#pragma once
// Fibers switch with _setjmp/_longjmp (no signal-mask system call per switch, unlike swapcontext); the fortified
// longjmp would refuse to jump between stacks. Include this header first.
#ifdef _FORTIFY_SOURCE
#undef _FORTIFY_SOURCE
#endif
#include <setjmp.h>
#include <ucontext.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <vector>

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __noinline__
#define __launch_bounds__(...)
#define __align__(n) alignas(n)
#define __shared__ static

struct EmuDim3 {
    unsigned x = 1, y = 1, z = 1;
};
// threadIdx is set by the scheduler before it switches to a CUDA thread (all of a block's threads share one OS
// thread as cooperative fibers, so a plain global is right).
inline EmuDim3 threadIdx, blockIdx, blockDim, gridDim;

// One CUDA thread: a ucontext fiber that runs until it reaches a barrier or returns.
struct EmuFiber {
    ucontext_t ctx;    // the first entry (makecontext on its own stack)
    jmp_buf env;       // where it waits
    bool started = false;
    std::vector<char> stack;
    unsigned tid = 0;
    int state = 0;  // 0 runnable, 1 at __syncthreads, 2 at a warp barrier, 3 finished
};

struct EmuBlock {
    std::vector<EmuFiber> fibers;
    jmp_buf sched;
    EmuFiber* cur = nullptr;
    std::function<void()> body;
    std::vector<double> slotsD;  // [warp][32]
    std::vector<int> slotsI;
    std::vector<unsigned char> smem;
};
inline EmuBlock emu_block;

inline void emu_wait(int state) {
    EmuFiber* f = emu_block.cur;
    f->state = state;
    if (!_setjmp(f->env)) _longjmp(emu_block.sched, 1);
}
inline void __syncthreads() { emu_wait(1); }
inline void __syncwarp(unsigned = 0xffffffffu) { emu_wait(2); }
inline int emu_or_acc = 0;
inline int __syncthreads_or(int p) {
    __syncthreads();
    if (p) emu_or_acc = 1;
    __syncthreads();
    const int r = emu_or_acc;
    __syncthreads();
    if (threadIdx.x == 0) emu_or_acc = 0;
    return r;
}

template <typename T> inline T emu_shfl(T v, int src_lane, std::vector<T>& slots) {
    const int t = threadIdx.x, w = t >> 5, lane = t & 31;
    slots[w * 32 + lane] = v;
    __syncwarp();
    const T r = src_lane < 32 ? slots[w * 32 + src_lane] : v;
    __syncwarp();
    return r;
}
inline double __shfl_down_sync(unsigned, double v, int o) { return emu_shfl(v, (int)(threadIdx.x & 31) + o, emu_block.slotsD); }
inline int __shfl_down_sync(unsigned, int v, int o) { return emu_shfl(v, (int)(threadIdx.x & 31) + o, emu_block.slotsI); }
inline double __shfl_xor_sync(unsigned, double v, int o) { return emu_shfl(v, (int)(threadIdx.x & 31) ^ o, emu_block.slotsD); }
using std::isfinite;
inline float __uint_as_float(unsigned u) {
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}

#define MP_DYNAMIC_SMEM(name) unsigned char* name = emu_block.smem.data()

[[noreturn]] inline void emu_fiber_main() {
    emu_block.body();
    emu_block.cur->state = 3;
    _longjmp(emu_block.sched, 1);
}

// Runs one block to completion: every runnable thread runs (in thread order) until it waits or finishes; then a
// barrier that all unfinished threads of the block (or of a warp) wait at is released. Deterministic.
inline void emu_run_block(unsigned threads) {
    auto& fs = emu_block.fibers;
    for (unsigned t = 0; t < threads; ++t) {
        EmuFiber& f = fs[t];
        f.tid = t;
        f.state = 0;
        f.started = false;
        getcontext(&f.ctx);
        f.ctx.uc_stack.ss_sp = f.stack.data();
        f.ctx.uc_stack.ss_size = f.stack.size();
        f.ctx.uc_link = nullptr;
        makecontext(&f.ctx, (void (*)())emu_fiber_main, 0);
    }
    for (;;) {
        for (unsigned t = 0; t < threads; ++t) {
            EmuFiber& f = fs[t];
            if (f.state != 0) continue;
            emu_block.cur = &f;
            threadIdx.x = t;
            if (!_setjmp(emu_block.sched)) {
                if (!f.started) {
                    f.started = true;
                    setcontext(&f.ctx);
                }
                _longjmp(f.env, 1);
            }
        }
        unsigned done = 0, atBlock = 0;
        for (unsigned t = 0; t < threads; ++t) {
            done += fs[t].state == 3;
            atBlock += fs[t].state == 1;
        }
        if (done == threads) return;
        bool released = false;
        for (unsigned w = 0; w < (threads + 31) / 32; ++w) {  // warps whose unfinished threads all wait at a warp barrier
            unsigned live = 0, waiting = 0;
            for (unsigned t = w * 32; t < std::min(threads, w * 32 + 32); ++t) {
                live += fs[t].state != 3;
                waiting += fs[t].state == 2;
            }
            if (live > 0 && waiting == live) {
                for (unsigned t = w * 32; t < std::min(threads, w * 32 + 32); ++t)
                    if (fs[t].state == 2) fs[t].state = 0;
                released = true;
            }
        }
        if (!released && atBlock + done == threads) {
            for (unsigned t = 0; t < threads; ++t)
                if (fs[t].state == 1) fs[t].state = 0;
            released = true;
        }
        if (!released) {
            std::fprintf(stderr, "cuda_emu: deadlock in block %u: threads wait at different barriers\n", blockIdx.x);
            std::abort();
        }
    }
}

// Runs kernel(args) on grid x threads with `smem` bytes of dynamic shared memory.
template <typename Args> void emu_launch(void (*kernel)(Args), unsigned grid, unsigned threads, size_t smem, const Args& a) {
    gridDim.x = grid;
    blockDim.x = threads;
    emu_block.fibers.resize(std::max<size_t>(emu_block.fibers.size(), threads));
    for (auto& f : emu_block.fibers)
        if (f.stack.empty()) f.stack.resize(256 * 1024);
    emu_block.slotsD.assign(threads, 0.0);
    emu_block.slotsI.assign(threads, 0);
    emu_block.smem.assign(smem + 16, 0xcd);  // garbage, like real shared memory
    emu_block.body = [&] { kernel(a); };
    for (unsigned b = 0; b < grid; ++b) {
        blockIdx.x = b;
        emu_run_block(threads);
    }
}

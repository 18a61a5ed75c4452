// Just enough of CUDA to run the mipeaks kernels on CPU threads (one std::thread per CUDA thread, blocks one after
// another): __syncthreads is a block barrier, __shfl_down_sync / __shfl_xor_sync exchange through a per-warp slot array between
// two warp barriers. Slow, but it executes the kernels' own code, so their logic is tested on machines without a
// GPU (native/mipeaks_emu.cpp). Every shuffle in the kernels is executed by whole warps, as this requires.
#pragma once
#include <atomic>
#include <barrier>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <thread>
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
inline thread_local EmuDim3 threadIdx;
inline EmuDim3 blockIdx, blockDim, gridDim;

struct EmuBlock {
    std::unique_ptr<std::barrier<>> all;
    std::vector<std::unique_ptr<std::barrier<>>> warps;
    std::vector<double> slotsD;  // [warp][32]
    std::vector<int> slotsI;
    std::vector<unsigned char> smem;
};
inline EmuBlock emu_block;

inline void __syncthreads() { emu_block.all->arrive_and_wait(); }
inline void __syncwarp(unsigned = 0xffffffffu) { emu_block.warps[threadIdx.x >> 5]->arrive_and_wait(); }
inline std::atomic<int> emu_or_acc{0};
inline int __syncthreads_or(int p) {
    emu_block.all->arrive_and_wait();
    if (p) emu_or_acc.fetch_or(1);
    emu_block.all->arrive_and_wait();
    const int r = emu_or_acc.load();
    emu_block.all->arrive_and_wait();
    if (threadIdx.x == 0) emu_or_acc.store(0);
    return r;
}

template <typename T> inline T emu_shfl_down(T v, int o, std::vector<T>& slots) {
    const int t = threadIdx.x, w = t >> 5, lane = t & 31;
    slots[w * 32 + lane] = v;
    emu_block.warps[w]->arrive_and_wait();
    const T r = lane + o < 32 ? slots[w * 32 + lane + o] : v;
    emu_block.warps[w]->arrive_and_wait();
    return r;
}
template <typename T> inline T emu_shfl_xor(T v, int o, std::vector<T>& slots) {
    const int t = threadIdx.x, w = t >> 5, lane = t & 31;
    slots[w * 32 + lane] = v;
    emu_block.warps[w]->arrive_and_wait();
    const T r = slots[w * 32 + (lane ^ o)];
    emu_block.warps[w]->arrive_and_wait();
    return r;
}
inline double __shfl_down_sync(unsigned, double v, int o) { return emu_shfl_down(v, o, emu_block.slotsD); }
inline double __shfl_xor_sync(unsigned, double v, int o) { return emu_shfl_xor(v, o, emu_block.slotsD); }
inline int __shfl_down_sync(unsigned, int v, int o) { return emu_shfl_down(v, o, emu_block.slotsI); }
using std::isfinite;
inline float __uint_as_float(unsigned u) {
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}

#define MP_DYNAMIC_SMEM(name) unsigned char* name = emu_block.smem.data()

// Runs kernel(args) on grid x threads with `smem` bytes of dynamic shared memory.
template <typename Args> void emu_launch(void (*kernel)(Args), unsigned grid, unsigned threads, size_t smem, const Args& a) {
    gridDim.x = grid;
    blockDim.x = threads;
    emu_block.all = std::make_unique<std::barrier<>>(threads);
    emu_block.warps.clear();
    for (unsigned w = 0; w < threads / 32; ++w) emu_block.warps.push_back(std::make_unique<std::barrier<>>(32));
    emu_block.slotsD.assign(threads, 0.0);
    emu_block.slotsI.assign(threads, 0);
    emu_block.smem.assign(smem + 16, 0xcd);  // garbage, like real shared memory
    for (unsigned b = 0; b < grid; ++b) {
        blockIdx.x = b;
        std::vector<std::thread> ts;
        for (unsigned t = 0; t < threads; ++t)
            ts.emplace_back([&, t] {
                threadIdx.x = t;
                kernel(a);
            });
        for (auto& t : ts) t.join();
    }
}

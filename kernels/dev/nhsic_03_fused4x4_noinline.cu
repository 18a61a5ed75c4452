// Variant 03-fused4x4-noinline of nhsic (not shipped; phases from kernels/dev/lowrank_dev.cuh).
// What it changes: variant 03 with the factor and the cross product as separate (noinline) functions, each with its
// own register allocation.
// Measured (H200, 2026-11-27, kernel only, nhsic bf16, m = 4096, sigma 50, trajectory): 674,659 pairs/s;
// the shipped kernels (8 entries per thread, r x r stage in one warp): 792,703 pairs/s.
// Check and benchmark (native harness built with this file in place of kernels/nhsic.cu):
//   nvcc -O3 -std=c++17 -arch=sm_90 -I kernels -DMP_NHSIC_CU='"../kernels/dev/nhsic_03_fused4x4_noinline.cu"' native/mipeaks_check.cu \
//        -o mipeaks_check_03-fused4x4-noinline && ./mipeaks_check_03-fused4x4-noinline --check --bench
// On the CPU (no GPU): g++ -O2 -std=c++20 -I kernels -DMP_NHSIC_CU='"../kernels/dev/nhsic_03_fused4x4_noinline.cu"' native/mipeaks_emu.cpp
//   (EmulatedKernelsTest does this for every file here).
#define MP_VARIANT_NAME "03-fused4x4-noinline"
#define MP_TA 4
#define MP_TB 4
#define MP_NOINLINE_PHASES 1
#include "lowrank_dev.cuh"

MP_LOWRANK_ENTRIES_WITH(nhsic, MpNhsicDev, MpFusedPhases)

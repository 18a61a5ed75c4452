// Variant 02-fused4x4 of nhsic (not shipped; phases from kernels/dev/lowrank_dev.cuh).
// What it changes: G formed inside the factor's pass (no centring pass for x), C = Bx^T By by 4 x 4 warp tiles
// reduced with a transposing butterfly; about half the L2 column traffic and ~30 fewer block barriers per pair, but
// register pressure.
// Measured (H200, 2026-11-27, kernel only, nhsic bf16, m = 4096, sigma 50, trajectory): 561,619 pairs/s;
// the shipped kernels (8 entries per thread, r x r stage in one warp): 792,703 pairs/s.
// Check and benchmark (native harness built with this file in place of kernels/nhsic.cu):
//   nvcc -O3 -std=c++17 -arch=sm_90 -I kernels -DMP_NHSIC_CU='"../kernels/dev/nhsic_02_fused4x4.cu"' native/mipeaks_check.cu \
//        -o mipeaks_check_02-fused4x4 && ./mipeaks_check_02-fused4x4 --check --bench
// On the CPU (no GPU): g++ -O2 -std=c++20 -I kernels -DMP_NHSIC_CU='"../kernels/dev/nhsic_02_fused4x4.cu"' native/mipeaks_emu.cpp
//   (EmulatedKernelsTest does this for every file here).
#define MP_VARIANT_NAME "02-fused4x4"
#define MP_TA 4
#define MP_TB 4
#include "lowrank_dev.cuh"

MP_LOWRANK_ENTRIES_WITH(nhsic, MpNhsicDev, MpFusedPhases)

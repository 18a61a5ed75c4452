// Variant 01-block-stage of nhsic (not shipped; phases from kernels/dev/lowrank_dev.cuh).
// What it changes: the r x r stage (two Cholesky factors, two triangular solves, sum of squares) on the whole block
// through the global scratch, as shipped before; ~34k cycles per pair at r = 11.
// Measured (H200, 2026-11-27, kernel only, nhsic bf16, m = 4096, sigma 50, trajectory): 775,253 pairs/s (10k pairs);
// the shipped kernels (8 entries per thread, r x r stage in one warp): 792,703 pairs/s.
// Check and benchmark (native harness built with this file in place of kernels/nhsic.cu):
//   nvcc -O3 -std=c++17 -arch=sm_90 -I kernels -DMP_NHSIC_CU='"../kernels/dev/nhsic_01_block_stage.cu"' native/mipeaks_check.cu \
//        -o mipeaks_check_01-block-stage && ./mipeaks_check_01-block-stage --check --bench
// On the CPU (no GPU): g++ -O2 -std=c++20 -I kernels -DMP_NHSIC_CU='"../kernels/dev/nhsic_01_block_stage.cu"' native/mipeaks_emu.cpp
//   (EmulatedKernelsTest does this for every file here).
#define MP_VARIANT_NAME "01-block-stage"
#include "lowrank_dev.cuh"

MP_LOWRANK_ENTRIES_WITH(nhsic, MpNhsicDev, MpBlockStagePhases)

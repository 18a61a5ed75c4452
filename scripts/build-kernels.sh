#!/usr/bin/env bash
# Builds the CUDA kernels (PTX + cubins) and the native harness with CMake when nvcc is available, and copies the
# kernels to $1 (the Maven build passes target/classes/dev/mipeaks/gpu/kernels). Without nvcc it prints one line and
# succeeds: the GPU backend then reports "kernels not built".
# Usage: scripts/build-kernels.sh [DEST]   (env MIPEAKS_SKIP_CUDA=1 skips the build)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="${1:-$root/build/kernels-out}"
nvcc_bin="$(command -v nvcc || true)"
[ -z "$nvcc_bin" ] && [ -x /usr/local/cuda/bin/nvcc ] && nvcc_bin=/usr/local/cuda/bin/nvcc
if [ "${MIPEAKS_SKIP_CUDA:-0}" = 1 ] || [ -z "$nvcc_bin" ] || ! command -v cmake >/dev/null; then
  echo "mipeaks: nvcc or cmake not found (or MIPEAKS_SKIP_CUDA=1): CUDA kernels not built"
  exit 0
fi
build="$root/build/cuda"
mkdir -p "$build"
if ! { cmake -S "$root" -B "$build" -DCMAKE_CUDA_COMPILER="$nvcc_bin" -DCMAKE_BUILD_TYPE=Release &&
       cmake --build "$build" -j 2 --target mipeaks_kernels ${MIPEAKS_BUILD_HARNESS:+mipeaks_check}; } >"$build/build.log" 2>&1; then
  cat "$build/build.log" >&2
  echo "mipeaks: CUDA build failed (log above)" >&2
  exit 1
fi
mkdir -p "$dest"
cp "$build"/kernels/*.ptx "$build"/kernels/*.cubin "$build"/kernels/kernels.list "$dest"/
echo "mipeaks: CUDA kernels built into $dest"

#!/usr/bin/env bash
# Builds .device/: everything scripts/device-check.sh needs on a bare GPU machine (no network, no Maven, maybe no
# Java or nvcc): a jlink'ed JRE, the mipeaks jar with its PTX/cubins, only the jars the MI engine needs (picocli,
# jackson, jcuda with a trimmed linux-x86_64 natives jar: no LibTorch, no tokenizer, no analysis jars), the native
# harness binary, and the shared parity data.
# Usage: scripts/make-device-bundle.sh   (from anywhere; needs JDK 17+, Maven, nvcc + cmake)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dev="$root/.device"
cd "$root"

echo "== build jar + kernels"
mvn -q -pl java package -DskipTests
test -f java/target/classes/dev/mipeaks/gpu/kernels/kernels.list || { echo "kernels were not built (nvcc missing?)" >&2; exit 1; }

echo "== build native harness"
cmake -S "$root" -B build/cuda -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/cuda -j 2 --target mipeaks_check >build/cuda/harness.log 2>&1 || { cat build/cuda/harness.log; exit 1; }

rm -rf "$dev"
mkdir -p "$dev/lib" "$dev/bin" "$dev/parity"
cp java/target/mipeaks.jar "$dev/lib/"
for pat in 'picocli-*.jar' 'jackson-core-*.jar' 'jackson-databind-*.jar' 'jackson-annotations-*.jar' 'jcuda-[0-9]*.jar'; do
  for j in java/target/lib/$pat; do cp "$j" "$dev/lib/"; done
done
# natives: only the driver binding (the PTX compiler, runtime and NVRTC bindings are 25 MB we do not use)
nat="$root/$(ls java/target/lib/jcuda-natives-*-linux-x86_64.jar)"
tmp="$(mktemp -d)"
(cd "$tmp" && unzip -q "$nat" && rm -f lib/libJNvPTXCompiler-* lib/libJCudaRuntime-* lib/libJNvrtc-* && jar --create --file "$dev/lib/$(basename "$nat")" -C "$tmp" .)
rm -rf "$tmp"
cp build/cuda/mipeaks_check "$dev/bin/"
# tuning experiment for device-check step 6b: the harness with __launch_bounds__(512, 2) kernels (sm_90 only)
nvcc -O3 -std=c++17 -DMP_MIN_BLOCKS=2 -gencode arch=compute_90,code=sm_90 -I kernels native/mipeaks_check.cu \
  -o "$dev/bin/mipeaks_check_lb2" || echo "mipeaks_check_lb2 not built (step 6b will be skipped)"
# device-check step 6c: per-phase cycle counts (kernels/lowrank.cuh MP_PROFILE)
nvcc -O3 -std=c++17 -DMP_PROFILE -gencode arch=compute_90,code=sm_90 -I kernels native/mipeaks_check.cu \
  -o "$dev/bin/mipeaks_check_prof" || echo "mipeaks_check_prof not built (step 6c will be skipped)"
# the check script and the dense reference travel too: bash .device/device-check.sh works from a copy of the bundle
cp scripts/device-check.sh scripts/dense_torch.py "$dev/"
# the PTX and cubins travel inside mipeaks.jar (dev/mipeaks/gpu/kernels/)
shared="${MIPEAKS_SHARED:-$root/../shared}"
cp "$shared"/parity/* "$dev/parity/"

echo "== jlink"
# The MI engine, gpu-info and DeviceCheck need only these (checked: jdeps lists java.desktop/java.sql for the
# analysis charts and jackson's optional java.sql support, which the engine never loads).
mods="java.base,java.logging,jdk.unsupported"
jlink --add-modules "$mods" --strip-debug --strip-native-debug-symbols=exclude-debuginfo-files --no-header-files \
  --no-man-pages --compress=2 --output "$dev/jre" 2>&1 | grep -v 'compress' || true
echo "$mods" > "$dev/jre-modules.txt"
du -sh "$dev"/*
echo "bundle ready: $dev ($(du -sm "$dev" | cut -f1) MiB)"

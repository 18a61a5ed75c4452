#!/usr/bin/env bash
# Builds .device/: everything scripts/device-check.sh needs on a bare GPU machine (no network, no Maven, maybe no
# Java or nvcc): a jlink'ed JRE, the mipeaks module jars (core with its PTX/cubins, core's test-jar with DeviceCheck,
# and model/studies/cli for `mipeaks gpu-info`) and only the third-party jars the MI engine needs: the core module's
# runtime dependencies as Maven resolves them (java/core/target/lib: jackson, jcuda with a trimmed linux-x86_64
# natives jar) plus picocli for the CLI; no LibTorch, no tokenizer, no analysis jars. The native
# harness binary, the harness built with each numbered kernel variant of kernels/dev/ and those variants' nhsic
# modules for the Java backend (bin/variants.tar.gz), and the shared parity
# data. About 57 MiB (the device tool carries at most 64 MiB); 5-10 minutes on 2 cores.
# Usage: scripts/make-device-bundle.sh   (from anywhere; needs JDK 17+, Maven, nvcc + cmake)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dev="$root/.device"
cd "$root"

echo "== build jars + kernels"
mvn -q -pl java/cli -am package -DskipTests
test -f java/core/target/classes/dev/mipeaks/gpu/kernels/kernels.list || { echo "kernels were not built (nvcc missing?)" >&2; exit 1; }

echo "== build native harness"
cmake -S "$root" -B build/cuda -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/cuda -j 2 --target mipeaks_check >build/cuda/harness.log 2>&1 || { cat build/cuda/harness.log; exit 1; }

rm -rf "$dev"
mkdir -p "$dev/lib" "$dev/bin" "$dev/parity"
# ours: core (+ its test-jar: DeviceCheck, ReferenceEstimator) and the CLI's modules, without their dependencies
cp java/core/target/mipeaks-core.jar java/core/target/mipeaks-core-tests.jar java/model/target/mipeaks-model.jar \
  java/studies/target/mipeaks-studies.jar java/cli/target/mipeaks.jar "$dev/lib/"
# third party: core's runtime dependencies (Maven's copy-dependencies of java/core) and the CLI's parser
for j in java/core/target/lib/*.jar java/cli/target/lib/picocli-*.jar; do
  case "$(basename "$j")" in mipeaks-*|jcuda-natives-*) ;; *) cp "$j" "$dev/lib/" ;; esac
done
# natives: only the driver binding (the PTX compiler, runtime and NVRTC bindings are 25 MB we do not use)
nat="$root/$(ls java/core/target/lib/jcuda-natives-*-linux-x86_64.jar)"
tmp="$(mktemp -d)"
(cd "$tmp" && unzip -q "$nat" && rm -f lib/libJNvPTXCompiler-* lib/libJCudaRuntime-* lib/libJNvrtc-* && jar --create --file "$dev/lib/$(basename "$nat")" -C "$tmp" .)
rm -rf "$tmp"
cp build/cuda/mipeaks_check "$dev/bin/"
# kernel variants for device-check steps 6b-6e (sm_90 only): the same harness built with other lowrank.cuh switches,
# so one device run compares them side by side (kernels/README.md, "Toward 1,000,000 pairs/s"). Stripped and
# packed (~1 MB each instead of ~4 MB: the bundle must stay under 64 MiB); device-check.sh unpacks them.
vdir="$(mktemp -d)"
variant() {
  local name="$1"
  shift
  nvcc -O3 -std=c++17 "$@" -gencode arch=compute_90,code=sm_90 -I kernels native/mipeaks_check.cu -o "$vdir/mipeaks_check_$name" \
    && strip "$vdir/mipeaks_check_$name" || echo "mipeaks_check_$name not built (its device-check step will be skipped)"
}
variant prof -DMP_PROFILE                    # per-phase cycle counts of the shipped kernels
for f in kernels/dev/nhsic_[0-9]*.cu; do      # the numbered variants, each in place of kernels/nhsic.cu
  n=$(basename "$f" .cu); n=${n#nhsic_}
  variant "$n" -DMP_NHSIC_CU="\"../$f\""
done
variant 02_fused4x4_prof -DMP_NHSIC_CU='"../kernels/dev/nhsic_02_fused4x4.cu"' -DMP_PROFILE
# the same variants as kernel modules for the Java backend (device-check steps 4b-4c: end to end through
# CudaMiBackend with -Dmipeaks.kernels=DIR; a user module overrides the jar's entry points of the same name)
java_variant() {  # java_variant NAME SOURCE.cu
  local name="$1" src="$2"
  mkdir -p "$vdir/java_$name"
  { nvcc -ptx -O3 -arch=compute_90 -I kernels "$src" -o "$vdir/java_$name/nhsic_$name.ptx" \
    && nvcc -cubin -O3 -arch=sm_90 -I kernels "$src" -o "$vdir/java_$name/nhsic_$name.sm_90.cubin"; } \
    || { echo "java_$name not built (its device-check step will be skipped)"; rm -rf "$vdir/java_$name"; }
}
java_variant 01_block_stage kernels/dev/nhsic_01_block_stage.cu
java_variant 02_fused4x4 kernels/dev/nhsic_02_fused4x4.cu
tar -czf "$dev/bin/variants.tar.gz" -C "$vdir" .
rm -rf "$vdir"
# the check script and the dense reference travel too: bash .device/device-check.sh works from a copy of the bundle
cp scripts/device-check.sh scripts/dense_torch.py "$dev/"
# the PTX and cubins travel inside mipeaks-core.jar (dev/mipeaks/gpu/kernels/)
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

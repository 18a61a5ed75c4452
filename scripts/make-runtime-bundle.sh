#!/usr/bin/env bash
# Builds .device/runtime/: what scripts/runtime/runtime-check.sh needs to check the model runtime on a bare GPU machine
# (no network, no Maven, no Java): a jlink'ed JRE and the project's jars with the LibTorch natives cut down to the JNI
# library alone (on the GPU machine it runs against that machine's own CUDA LibTorch, python3's torch/lib: see
# scripts/runtime/run.sh), the mipeaks module jars (core with its CUDA kernels), their test-jars and the JUnit
# console launcher (GpuRuntimeTest runs there for real), the shared models, MATH-500 and the Llama-3 tokenizer, and the Python
# helpers for the Hugging Face side. About 50 MiB (the device tool carries at most 64 MiB); a few minutes on 2 cores.
# Usage: scripts/make-runtime-bundle.sh     (from anywhere; needs JDK 17+, Maven, ../shared; nvcc for the MI kernels)
# On the GPU machine (carry .device/runtime):  OUT=$OUT bash .device/runtime/runtime-check.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${MIPEAKS_SHARED:-$root/../shared}"
out="$root/.device/runtime"
cd "$root"
[ -d "$shared/models" ] || { echo "$shared/models missing: the check needs the shared models" >&2; exit 1; }

echo "== build jars (with kernels when nvcc is here) and test-jars"
mvn -q -pl java/cli -am package -DskipTests
lib="$root/java/cli/target/lib"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir -p "$work/b/lib" "$work/b/shared/data" "$work/b/shared/tokenizers"
cp java/cli/target/mipeaks.jar java/*/target/mipeaks-*tests.jar "$work/b/lib/"
mvn -q dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:1.11.4 -DoutputDirectory="$work/b/lib"
keep='mipeaks-* picocli-* jackson-annotations-* jackson-core-* jackson-databind-* javacpp-[0-9]*[0-9].jar pytorch-[0-9]*[0-9].jar
      openblas-[0-9]*[0-9].jar api-* gson-* jna-[0-9]* commons-compress-* commons-csv-* slf4j-api-* slf4j-nop-*
      jcuda-[0-9]*[0-9].jar jfreechart-* org.jfree.svg-* '"${EXTRA_JARS:-}"
for pat in $keep; do for j in $lib/$pat; do [ -f "$j" ] && cp "$j" "$work/b/lib/"; done; done
# natives: repacked uncompressed (xz shrinks them better), without what the GPU machine does not need
repack() {  # repack JAR EXCLUDE-PATTERNS...
  local src=$1; shift; local d; d=$(mktemp -d)
  (cd "$d" && unzip -q "$src" -x "$@" && jar --create --no-compress --file "$work/b/lib/$(basename "$src")" -C . .)
  rm -rf "$d"
}
p=org/bytedeco/pytorch/linux-x86_64
repack "$(ls $lib/javacpp-*-linux-x86_64.jar)" 'META-INF/native-image/*'
repack "$(ls $lib/pytorch-*-linux-x86_64.jar)" "$p/libtorch_cpu.so" "$p/libc10.so" "$p/libtorch.so" "$p/libgomp.so.1" \
  "$p/libjnitorch_gloo.so" "$p/*.cpp" 'META-INF/native-image/*'
repack "$(ls $lib/openblas-*-linux-x86_64.jar)" 'org/bytedeco/openblas/linux-x86_64/libjniopenblas_full.so' \
  'org/bytedeco/openblas/linux-x86_64/include/*' 'META-INF/native-image/*'
repack "$(ls $lib/jcuda-natives-*-linux-x86_64.jar)" 'lib/libJNvPTXCompiler-*' 'lib/libJCudaRuntime-*' 'lib/libJNvrtc-*'
repack "$(ls $lib/tokenizers-*.jar)" 'native/lib/win*' 'native/lib/osx*' 'native/lib/linux-aarch64/*'
cp -r "$shared/models" "$work/b/shared/"
cp -r "$shared/data/math500" "$work/b/shared/data/"
cp -r "$shared/tokenizers/llama3" "$work/b/shared/tokenizers/"
jlink --add-modules java.base,java.logging,jdk.unsupported,java.management,java.xml,java.sql,java.naming,jdk.zipfs,java.desktop,jdk.jfr \
  --strip-debug --no-header-files --no-man-pages --compress=0 --output "$work/b/jre"
rm -rf "$out"; mkdir -p "$out"
tar -C "$work/b" -cf - jre lib shared | xz -T0 -9 > "$out/runtime.tar.xz"
cp scripts/runtime/run.sh scripts/runtime/runtime-check.sh scripts/runtime/*.py "$out/"
echo "bundle: $out ($(du -sm "$out" | cut -f1) MiB). On the GPU machine: OUT=\$OUT bash .device/runtime/runtime-check.sh"

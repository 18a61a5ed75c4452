#!/usr/bin/env bash
# On the GPU machine: runs mipeaks from the runtime bundle (scripts/make-runtime-bundle.sh) against that machine's own
# CUDA LibTorch (python3's torch/lib). The bundle carries only the JNI library of our CPU LibTorch preset: the CUDA
# natives of the presets (~460 MB) cannot travel, and libjnitorch.so runs against torch's own libraries.
# Usage: bash run.sh <mipeaks command and options>      e.g. bash run.sh trace --model DIR --device cuda ...
#        bash run.sh --main CLASS ARGS...                 another main class (e.g. dev.mipeaks.model.DecodeBenchmark)
#        bash run.sh --junit [console launcher options]   the bundled test classes (e.g. --select-class ...GpuRuntimeTest)
#        bash run.sh --symbols                            JNI symbols the machine's libtorch lacks (a handful is normal)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd); x=${MIPEAKS_RUNTIME_DIR:-/tmp/mipeaks-runtime}
# unpacked once per bundle: a folder left by an earlier bundle (another build) is replaced, never reused
sum=$(cksum < "$here/runtime.tar.xz")
if [ ! -d "$x/lib" ] || [ "$(cat "$x/.bundle" 2>/dev/null)" != "$sum" ]; then
  rm -rf "$x" && mkdir -p "$x" && tar -xJf "$here/runtime.tar.xz" -C "$x" && echo "$sum" > "$x/.bundle"
fi
T=${MIPEAKS_TORCH_LIB:-}; [ -n "$T" ] || T=$(python3 -c 'import torch, os; print(os.path.dirname(torch.__file__) + "/lib")') \
  || { echo "no python3 torch on this machine: nothing to run LibTorch against" >&2; exit 3; }
cp=$(ls "$x"/lib/*.jar | tr '\n' ':')
if [ "${1:-}" = --symbols ]; then
  python3 -c "import zipfile,glob; z=zipfile.ZipFile(glob.glob('$x/lib/pytorch-*-linux-x86_64.jar')[0]); z.extract('org/bytedeco/pytorch/linux-x86_64/libjnitorch.so', '$x/jni')"
  nm -D --undefined-only "$x"/jni/org/bytedeco/pytorch/linux-x86_64/libjnitorch.so | awk '{print $NF}' | grep -v '@' | sort -u > "$x/und"
  for f in "$T"/libtorch_cpu.so "$T"/libc10.so "$T"/libtorch.so "$T"/libtorch_cuda.so "$T"/libc10_cuda.so; do nm -D --defined-only "$f"; done \
    | awk '{print $NF}' | sed 's/@.*//' | sort -u > "$x/def"
  comm -23 "$x/und" "$x/def" | c++filt; echo "($(comm -23 "$x/und" "$x/def" | wc -l) of $(wc -l < "$x/und") JNI symbols not defined by $T)"
  exit 0
fi
main=dev.mipeaks.cli.Main
if [ "${1:-}" = --main ]; then main=$2; shift 2; fi
if [ "${1:-}" = --junit ]; then main=org.junit.platform.console.ConsoleLauncher; shift; set -- execute --disable-banner --disable-ansi-colors --details=tree --class-path "$cp" "$@"; fi
# libtorch_cuda registers the CUDA kernels; it is preloaded because the CPU preset does not load it. Its large static
# TLS makes the JVM's small-stack threads fail to start (pthread_create EINVAL), hence the 8 MB stacks. pathsFirst
# makes JavaCPP load the machine's libtorch_cpu/libc10 from java.library.path instead of bundled copies (there are none).
# (a CPU-only libtorch, e.g. MIPEAKS_TORCH_LIB=~/.javacpp/cache/pytorch-*/org/bytedeco/pytorch/linux-x86_64 for a dry
# run, has no CUDA libraries: nothing to preload, and the checks that need a GPU say so)
pre=""; for f in "$T/libc10_cuda.so" "$T/libtorch_cuda.so"; do [ -f "$f" ] && pre="$pre${pre:+:}$f"; done
exec env ${pre:+LD_PRELOAD="$pre"} "$x/jre/bin/java" ${JAVA_OPTS:--Xmx64g} -Xss8m \
  -XX:VMThreadStackSize=8192 -XX:CompilerThreadStackSize=8192 -Djdk.lang.processReaperUseDefaultStackSize=true \
  -Dorg.bytedeco.javacpp.pathsFirst=true -Djava.library.path="$T" -Dorg.bytedeco.javacpp.cachedir="$x/javacpp" \
  -Dmipeaks.shared="$x/shared" -Djava.awt.headless=true -cp "$cp" "$main" "$@"

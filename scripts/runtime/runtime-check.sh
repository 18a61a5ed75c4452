#!/usr/bin/env bash
# GPU check of the model runtime, on a bare GPU machine, from the bundle of scripts/make-runtime-bundle.sh. Steps
# (each with its own timeout; a failing step is reported and the next one runs; budget MIPEAKS_CHECK_BUDGET, 480 s):
#   0 machine: GPU, driver, torch, transformers, JNI symbols missing from the machine's libtorch
#   1 GpuRuntimeTest (JUnit): f32 goldens, bf16 vs the HF bf16 emulation, left-padded batches, recycling, lens;
#     GpuLayerSplitTest: cuda:0,cuda:0 equals unsplit bit for bit, the driver's memory drop matches the plan
#   2 decode speed, batch 1, all layers captured, 1B-shaped random Llama: ours vs HF eager + hooks, f32 and bf16
#   3 run --device cuda (MI on the GPU) vs run --model-device cuda --device cpu: 3 MATH-500 problems, 512 tokens,
#     all layers; ids/states identical, MI within 1e-9
#   4 batched decode: ours at batch 1/8/32, f32 and bf16, 1B-shaped
#   5 the same as 2 on an 8B-shaped random Llama (bf16 file 16 GB)
# Writes $OUT/runtime-results.md (or ./runtime-results.md) and the raw log beside it.
# Dry run without a GPU (no python torch either): MIPEAKS_TORCH_LIB=<dir of a CPU libtorch_cpu.so> makes the Java
# steps run against it (GpuRuntimeTest skips with its reason, --device cuda is exit 3); the Python steps report
# what is missing.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
run="$here/run.sh"; x="${MIPEAKS_RUNTIME_DIR:-/tmp/mipeaks-runtime}"
out_dir="${OUT:-$PWD}"; mkdir -p "$out_dir"
res="$out_dir/runtime-results.md"; logs="$out_dir/runtime-logs.txt"; : >"$res"; : >"$logs"
tmp="${MIPEAKS_CHECK_TMP:-/tmp/mipeaks-check}"; mkdir -p "$tmp"
start=$(date +%s); budget=${MIPEAKS_CHECK_BUDGET:-480}
steps=${MIPEAKS_DECODE_STEPS:-256}
dev=${MIPEAKS_CHECK_DEVICE:-cuda}   # cpu: a dry run of every Java step (with MIPEAKS_MODEL_1B=a small model)
say() { echo "$*" | tee -a "$res"; }
left() { echo $((budget - ($(date +%s) - start))); }
# step NAME MAX_SECONDS CMD...: CMD with min(MAX, time left) seconds; table lines go to the results, the rest to the log
step() {
  local name="$1" max="$2"; shift 2
  local t; t=$(left); [ "$t" -gt "$max" ] && t=$max
  if [ "$t" -lt 5 ]; then say "- $name: skipped (time budget spent)"; return 0; fi
  echo "=== $name (timeout ${t}s): $*" >>"$logs"
  local s0; s0=$(date +%s)
  timeout -k 5 "$t" "$@" >"$tmp/step.out" 2>&1; local rc=$?
  cat "$tmp/step.out" >>"$logs"
  { echo; echo "#### $name (rc $rc, $(( $(date +%s) - s0 )) s)"; echo
    if grep -q '^|' "$tmp/step.out"; then grep '^|' "$tmp/step.out"; else echo '```'; tail -n 40 "$tmp/step.out"; echo '```'; fi
  } >>"$res"
  [ "$rc" = 124 ] && say "- $name: TIMED OUT after ${t}s"
  return 0
}
gpu=$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1)
# HBM bandwidth for the bound (GB/s), from the card's name
case "$gpu" in
  *H200*) bw=4800 ;; *H100*PCIe*) bw=2000 ;; *H100*) bw=3350 ;; *A100*80GB*) bw=2039 ;; *A100*) bw=1555 ;; *) bw=0 ;;
esac
bwarg=$([ "$bw" -gt 0 ] && echo "$bw" || echo "")
say "# Runtime check $(date -u +%Y-%m-%dT%H:%MZ)"
say ""
say "- GPU: ${gpu:-none found}; HBM bandwidth used for the bound: ${bw} GB/s"
say "- torch: $(python3 -c 'import torch; print(torch.__version__, "CUDA", torch.version.cuda)' 2>&1 | tail -1)"
say "- transformers: $(python3 -c 'import transformers; print(transformers.__version__)' 2>&1 | tail -1)"
step "0 JNI symbols the machine's libtorch lacks" 60 bash "$run" --symbols

step "1 GpuRuntimeTest + GpuLayerSplitTest (JUnit console)" 180 bash "$run" --junit \
  --select-class dev.mipeaks.model.GpuRuntimeTest --select-class dev.mipeaks.model.GpuLayerSplitTest
grep -E "torch f32 vs golden|incremental hidden|bf16 greedy|batch row|recycled logits|split|plan|tests (successful|failed|skipped)" \
  "$logs" | sed 's/^/    /' >>"$res"

m1="${MIPEAKS_MODEL_1B:-$tmp/llama1b}"; m8="${MIPEAKS_MODEL_8B:-$tmp/llama8b}"
[ -f "$m1/model.safetensors" ] || step "2a make a random 1B-shaped Llama" 120 python3 "$here/make_random_llama.py" "$m1" 1b bf16
# run needs a tokenizer: the Llama-3 one of ../shared (extracted by run.sh at step 0)
[ -d "$m1" ] && [ ! -f "$m1/tokenizer.json" ] && cp "$x/shared/tokenizers/llama3/tokenizer.json" "$m1/"
for dt in f32 bf16; do
  step "2 ours, 1B-shaped, $dt, batch 1" 120 bash "$run" --main dev.mipeaks.model.DecodeBenchmark "$m1" "$dev" "$dt" 1 "$steps" all $bwarg
  step "2 HF, 1B-shaped, $dt, batch 1" 150 python3 "$here/hf_decode_bench.py" "$m1" "$dt" "$steps" 1 $bwarg
done

ds="$x/shared/data/math500/test.jsonl"
rm -rf "$tmp/run-gpu" "$tmp/run-cpu"
common=(--model "$m1" --dataset "$ds" --limit 3 --max-new-tokens ${MIPEAKS_RUN_TOKENS:-512} --layers all)
step "3a run --device cuda (model and MI on the GPU)" 240 bash "$run" run "${common[@]}" --device "$dev" --out "$tmp/run-gpu"
step "3b run --model-device cuda --device cpu (MI on the CPU)" 240 bash "$run" run "${common[@]}" --model-device "$dev" --device cpu --out "$tmp/run-cpu"
step "3c compare the two runs" 60 python3 "$here/compare_runs.py" "$tmp/run-gpu" "$tmp/run-cpu"
grep -E "^- [0-9]+\.safetensors" "$logs" | sed 's/^/    /' >>"$res"

for dt in bf16 f32; do
  step "4 ours, 1B-shaped, $dt, batch 1/8/32" 150 bash "$run" --main dev.mipeaks.model.DecodeBenchmark "$m1" "$dev" "$dt" 1,8,32 128 all $bwarg
done

[ -f "$m8/model.safetensors" ] || step "5a make a random 8B-shaped Llama" 180 python3 "$here/make_random_llama.py" "$m8" 8b bf16
for dt in bf16 f32; do
  step "5 ours, 8B-shaped, $dt, batch 1" 150 bash "$run" --main dev.mipeaks.model.DecodeBenchmark "$m8" "$dev" "$dt" 1 "$steps" all $bwarg
  step "5 HF, 8B-shaped, $dt, batch 1" 180 python3 "$here/hf_decode_bench.py" "$m8" "$dt" "$steps" 1 $bwarg
done
say ""
say "(total $(( $(date +%s) - start )) s; raw log: $(basename "$logs"))"

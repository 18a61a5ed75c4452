#!/usr/bin/env bash
# Runs an MI-peaks suite as a Slurm job array: task i of n runs shard i/n into RUNS/NAME.shards/i, and a dependent
# job merges the shards into RUNS/NAME and writes its report (report.md, report.html, plots/).
#
#   scripts/slurm-suite.sh NAME SHARDS -- <mipeaks run options without --out/--shard>
#   e.g. scripts/slurm-suite.sh r1-llama8b-math500 8 -- --model /models/DeepSeek-R1-Distill-Llama-8B \
#          --dataset math500 --layers all --max-new-tokens 16000 --device cuda
#
# Each shard asks for a GPU (--gres=$MIPEAKS_GRES, default gpu:1) only when the run options do (--device cuda[:N] or
# --model-device cuda[:N]); otherwise the shards are CPU jobs. Shards run with --no-report (the merge job reports).
# Environment (optional): SLURM_PARTITION, SLURM_ACCOUNT; MIPEAKS_LAUNCHER (the mipeaks launcher the jobs run,
# default scripts/mipeaks beside this script); MIPEAKS_RUNS (where run folders and logs go, default runs/ in this
# checkout); per shard MIPEAKS_CPUS (8), MIPEAKS_MEM (64G), MIPEAKS_TIME (24:00:00), MIPEAKS_GRES (gpu:1); for the
# merge MIPEAKS_MERGE_CPUS (4), MIPEAKS_MERGE_MEM (16G), MIPEAKS_MERGE_TIME (02:00:00).
# --model may be a Hugging Face id (org/name[@revision]) found in the hub cache every node sees (HF_HUB_CACHE or
# HF_HOME on shared storage; download it once with `huggingface-cli download org/name`): shards record the id and
# snapshot, so they merge even when the cache path differs between nodes. A model too big for one GPU: ask for
# several per shard (MIPEAKS_GRES=gpu:2) and split its layers (--device cuda:0,cuda:1).
# Each shard resumes by itself: resubmitting the same command re-runs only unfinished problems.
set -euo pipefail
usage() { sed -n '2,19p' "$0" >&2; exit 2; }
fail() { echo "slurm-suite.sh: $*" >&2; exit 2; }
if [[ $# -lt 3 || "$3" != "--" ]]; then
  usage
fi
name="$1"; shards="$2"; shift 3
[[ -n "$name" && "$name" != */* && "$name" != .* ]] || fail "NAME must be a plain folder name, got '$name'"
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || fail "SHARDS must be a positive integer, got '$shards'"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
launcher="${MIPEAKS_LAUNCHER:-$here/mipeaks}"
[[ -x "$launcher" ]] || fail "MIPEAKS_LAUNCHER: $launcher is not an executable file"
launcher="$(cd "$(dirname "$launcher")" && pwd)/$(basename "$launcher")"
runs="${MIPEAKS_RUNS:-$(cd "$here/.." && pwd)/runs}"
mkdir -p "$runs/$name.shards" "$runs/logs"
runs="$(cd "$runs" && pwd)"

# the run options: refuse what this script sets, notice a GPU request and an explicit --no-report
gpu=""; report_flag="--no-report"; prev=""
for a in "$@"; do
  case "$a" in
    --out|--out=*|--shard|--shard=*) fail "leave ${a%%=*} out of the run options: this script sets it per shard" ;;
    --no-report) report_flag="" ;;
    --device=cuda*|--model-device=cuda*) gpu=1 ;;
  esac
  if [[ ( "$prev" == "--device" || "$prev" == "--model-device" ) && "$a" == cuda* ]]; then gpu=1; fi
  prev="$a"
done

q() { printf '%q' "$1"; }
args=$(printf ' %q' "$@")
opts=()
[[ -n "${SLURM_PARTITION:-}" ]] && opts+=("--partition=$SLURM_PARTITION")
[[ -n "${SLURM_ACCOUNT:-}" ]] && opts+=("--account=$SLURM_ACCOUNT")
shard_opts=(--cpus-per-task="${MIPEAKS_CPUS:-8}" --mem="${MIPEAKS_MEM:-64G}" --time="${MIPEAKS_TIME:-24:00:00}")
if [[ -n "$gpu" ]]; then
  shard_opts+=("--gres=${MIPEAKS_GRES:-gpu:1}")
fi
shard_dirs=""
for ((i = 0; i < shards; i++)); do shard_dirs+=" $(q "$runs/$name.shards/$i")"; done

array_id=$(sbatch --parsable ${opts[@]+"${opts[@]}"} --job-name="mipeaks-$name" --array="0-$((shards - 1))" "${shard_opts[@]}" \
  --output="$runs/logs/$name-%a.out" \
  --wrap="$(q "$launcher") run$args --shard \$SLURM_ARRAY_TASK_ID/$shards --out $(q "$runs/$name.shards")/\$SLURM_ARRAY_TASK_ID${report_flag:+ $report_flag}")
array_id="${array_id%%;*}"
merge_id=$(sbatch --parsable ${opts[@]+"${opts[@]}"} --job-name="mipeaks-$name-merge" --dependency="afterok:$array_id" \
  --kill-on-invalid-dep=yes --cpus-per-task="${MIPEAKS_MERGE_CPUS:-4}" --mem="${MIPEAKS_MERGE_MEM:-16G}" \
  --time="${MIPEAKS_MERGE_TIME:-02:00:00}" --output="$runs/logs/$name-merge.out" \
  --wrap="$(q "$launcher") merge --out $(q "$runs/$name")$shard_dirs && $(q "$launcher") report $(q "$runs/$name")")
merge_id="${merge_id%%;*}"
resources="CPU only"
[[ -n "$gpu" ]] && resources="each with --gres=${MIPEAKS_GRES:-gpu:1}"
echo "submitted array $array_id ($shards shards, $resources) and merge $merge_id; logs in $runs/logs/"

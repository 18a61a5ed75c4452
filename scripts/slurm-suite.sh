#!/usr/bin/env bash
# Runs an MI-peaks suite across GPUs as a Slurm job array: task i of n runs shard i/n into runs/NAME.shards/i,
# and a dependent job merges the shards into runs/NAME and writes the report.
#
#   scripts/slurm-suite.sh NAME SHARDS -- <mipeaks run options without --out/--shard>
#   e.g. scripts/slurm-suite.sh r1-llama8b-math500 8 -- --model /models/DeepSeek-R1-Distill-Llama-8B \
#          --dataset math500 --layers all --max-new-tokens 16000 --device cuda
#
# --model may be a Hugging Face id (org/name[@revision]) found in the hub cache every node sees (HF_HUB_CACHE or
# HF_HOME on shared storage; download it once with `huggingface-cli download org/name`): shards record the id and
# snapshot, so they merge even when the cache path differs between nodes.
# Environment: SLURM_PARTITION, SLURM_ACCOUNT (optional), MIPEAKS_TIME (default 24:00:00), MIPEAKS_MEM (64G),
# MIPEAKS_GPUS (GPUs per shard, default 1; with several, pass --device auto or cuda:0,cuda:1,... to split the layers).
# Each shard resumes by itself: resubmitting the same command re-runs only unfinished problems.
set -euo pipefail
if [[ $# -lt 3 || "$3" != "--" ]]; then
  sed -n '2,14p' "$0" >&2
  exit 2
fi
name="$1"; shards="$2"; shift 3
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
mkdir -p "$root/runs/$name.shards" "$root/runs/logs"
args=$(printf ' %q' "$@")
part=${SLURM_PARTITION:+--partition=$SLURM_PARTITION}
acct=${SLURM_ACCOUNT:+--account=$SLURM_ACCOUNT}
array_id=$(sbatch --parsable $part $acct --job-name="mipeaks-$name" --array="0-$((shards - 1))" \
  --gres=gpu:"${MIPEAKS_GPUS:-1}" --cpus-per-task=8 --mem="${MIPEAKS_MEM:-64G}" --time="${MIPEAKS_TIME:-24:00:00}" \
  --output="$root/runs/logs/$name-%a.out" \
  --wrap="$root/scripts/mipeaks run$args --shard \$SLURM_ARRAY_TASK_ID/$shards --out $root/runs/$name.shards/\$SLURM_ARRAY_TASK_ID")
merge_id=$(sbatch --parsable $part $acct --job-name="mipeaks-$name-merge" --dependency="afterok:$array_id" \
  --cpus-per-task=4 --mem=16G --time=02:00:00 --output="$root/runs/logs/$name-merge.out" \
  --wrap="$root/scripts/mipeaks merge --out $root/runs/$name $root/runs/$name.shards/* && $root/scripts/mipeaks report $root/runs/$name")
echo "submitted array $array_id ($shards shards) and merge $merge_id; logs in runs/logs/"

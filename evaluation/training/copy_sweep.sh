#!/usr/bin/env bash
# Diagnostic sweep on the GPU machine: which training recipe makes this model size copy from its context?
# Several short trainers share the GPU (1024-token rows, text-repeat rows as in the copy-curriculum runs), each
# running the copy check every COPY_EVERY steps; no model is saved. Prints one line per trainer and check.
#   bash evaluation/training/copy_sweep.sh      (from the repository root; $OUT is where the logs go)
# Env: TRAIN_UNTIL (seconds after start, default 400), CONFIGS (lines "name|train.py options").
set -u -o pipefail
T0=$(date +%s)
HERE=evaluation/training
PACK=${PACK:-$HERE/corpus/pack}
O=${OUT:?OUT must name the results folder}
W=/tmp/linnet-sweep
mkdir -p "$W"
export PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=true PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True
python3 $HERE/prepare_tokens.py "$PACK" "$W/tokens" engine/src/main/resources/dev/linnet/engine/defaultmodel/tokenizer.json || exit 1
python3 $HERE/recall_episodes.py "$W/tokens" 64 4096 20240611 || exit 1
DEADLINE=$((T0 + ${TRAIN_UNTIL:-400}))
COMMON="--data $W/tokens --deadline $DEADLINE --seq 1024 --batch 16 --episodes-fraction 0 --repeat-fraction 0.3
 --repeat-random 0 --copy-every 250 --copy-length 256 --diagnostic"
CONFIGS=${CONFIGS:-"softmax-a1-lr2e-3|--layers softmax
softmax-a1-lr6e-4|--layers softmax --lr 6e-4
softmax-a4-lr2e-3|--layers softmax --residual-alpha 4
softmax-a4-lr6e-4|--layers softmax --residual-alpha 4 --lr 6e-4
llama-lr2e-3|--layers softmax --arch llama
hybrid-a1-lr2e-3|--layers hybrid
hybrid-a4-lr2e-3|--layers hybrid --residual-alpha 4"}
while IFS='|' read -r name opts; do
  [ -z "$name" ] && continue
  timeout $(( DEADLINE - $(date +%s) + 150 )) python3 $HERE/train.py --name "$name" --out "$W/$name" $COMMON $opts \
      > "$O/$name.log" 2>&1 &
done <<< "$CONFIGS"
wait
echo "sweep done at $(( $(date +%s) - T0 ))s"
grep -h -E "copy check|stopped by|heldout_logs|Error|error" "$O"/*.log | cut -c1-220

#!/usr/bin/env bash
# The one command for the GPU machine (device tool, one H200): tokenizer, the default model and its two
# comparison variants trained at once on the one GPU, golden reference, packing of what comes back.
#   bash engine/training/gpu_run.sh      (from the repository root; $OUT is where results go)
# Needs engine/training/corpus/pack/{train,heldout}.jsonl.gz (build_corpus.sh), carried to the machine.
# Env: TRAIN_UNTIL (seconds after start at which training stops, default 440), PACK (corpus pack dir).
set -u -o pipefail
T0=$(date +%s)
HERE=engine/training
PACK=${PACK:-$HERE/corpus/pack}
O=${OUT:?OUT must name the results folder}
W=/tmp/linnet-train
mkdir -p "$W/ship"
export PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=true RAYON_NUM_THREADS=16
nvidia-smi -L
python3 -c "import torch, transformers, tokenizers; print('torch', torch.__version__, 'transformers', transformers.__version__, 'tokenizers', tokenizers.__version__)"
python3 $HERE/prepare_tokens.py "$PACK" "$W/tokens" || exit 1
cp "$W/tokens/tokenizer.json" "$W/tokens/tokens.json" "$W/ship/"
DEADLINE=$((T0 + ${TRAIN_UNTIL:-440}))
echo "training until $(date -d @$DEADLINE +%T) ($(( DEADLINE - $(date +%s) ))s from now)"
for v in hybrid linear softmax; do
  timeout $(( DEADLINE - $(date +%s) + 120 )) python3 $HERE/train.py --name $v --layers $v --data "$W/tokens" \
      --out "$W/$v" --deadline $DEADLINE --sync-dir "$W/sync" --peers 3 2>&1 &
done
wait
python3 $HERE/make_golden.py "$W/hybrid/model" "$W/tokens" "$W/ship/golden" 128 2>&1
for v in hybrid linear softmax; do
  mkdir -p "$W/ship/$v"
  cp "$W/$v"/model/* "$W/$v/summary.json" "$W/$v/curve.csv" "$W/ship/$v/" 2>/dev/null
done
python3 $HERE/plot_curves.py "$W/ship" "$W/ship/training-curve.png" 2>&1
WEIGHTS=$(ls "$W"/ship/hybrid/*.safetensors "$W"/ship/linear/*.safetensors "$W"/ship/softmax/*.safetensors 2>/dev/null)
[ -n "$WEIGHTS" ] && python3 $HERE/pack_outputs.py pack $WEIGHTS
[ -f "$W/ship/golden/golden.safetensors" ] && xz -T0 -6 "$W/ship/golden/golden.safetensors"
python3 - "$W/ship" > "$O/summary.json" <<'PY'
import json, os, sys
d = sys.argv[1]
out = {}
for v in ("hybrid", "linear", "softmax"):
    p = os.path.join(d, v, "summary.json")
    out[v] = json.load(open(p)) if os.path.exists(p) else None
print(json.dumps(out, indent=1))
PY
tar -C "$W" -cf "$W/result.tar" ship && split -b 15M "$W/result.tar" "$O/result.tar.part-"
ls -la "$O"; echo "total $(( $(date +%s) - T0 ))s"

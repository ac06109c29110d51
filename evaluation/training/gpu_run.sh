#!/usr/bin/env bash
# The one command for the GPU machine (device tool, one H200): the default model and its two comparison variants
# trained at once on the one GPU (same data, order and step count), each then probed for recall over distance;
# golden reference; packing of what comes back.
#   bash evaluation/training/gpu_run.sh      (from the repository root; $OUT is where results go)
# Needs evaluation/training/corpus/pack/{train,heldout}.jsonl.gz (build_corpus.sh), carried to the machine.
# Env: TRAIN_UNTIL (seconds after start at which training stops, default 420), PROBE_UNTIL (seconds after start
# after which no recall-probe distance is started, default 480), PACK (corpus pack dir), EPISODE_ROWS (4096),
# TOKENIZER (default: the shipped tokenizer.json; TOKENIZER=train trains a new one), REPEAT_FRACTION (share of
# self-repeating rows, default 0: the shipped recipe), TRAIN_ARGS (more train.py options, passed to all three),
# VARIANTS (default "hybrid linear softmax"; one alone trains about three times as many steps in the same time),
# SEQ (tokens per row and per episode row, default 4096), ARGS_hybrid / ARGS_linear / ARGS_softmax (options for that
# variant only, after TRAIN_ARGS). On a machine with a GPU per trainer each trainer gets its own (SPREAD=0: all share one).
# A variant may be named NAME:LAYERS (e.g. "last:hybrid mid:hybrid" with ARGS_mid="--softmax-at 3"): NAME is its folder
# and the key of ARGS_NAME. SYNTH_MB (default 0): megabytes of procedural logs of made-up systems (synth_logs.py,
# seed SYNTH_SEED) for train.py --synth-fraction. STREAM_EVAL: a folder of log files for train.py --stream-eval
# (evaluation only). GOLDEN_OF: the variants whose golden references are made (default hybrid). KEEP_STABLE=1: the
# variants' pre-decay weights (wsd schedule) come back too, in float32, to continue training on a fresh machine.
# Run again on the same warm machine with TRAIN_ARGS containing --resume: the trainers continue from /tmp.
set -u -o pipefail
T0=$(date +%s)
HERE=evaluation/training
PACK=${PACK:-$HERE/corpus/pack}
SHIPPED=engine/src/main/resources/dev/linnet/engine/defaultmodel/tokenizer.json
TOKENIZER=${TOKENIZER:-$SHIPPED}
O=${OUT:?OUT must name the results folder}
W=/tmp/linnet-train
mkdir -p "$W/ship"
export PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=true RAYON_NUM_THREADS=16
export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True
nvidia-smi -L
python3 -c "import torch, transformers, tokenizers; print('torch', torch.__version__, 'transformers', transformers.__version__, 'tokenizers', tokenizers.__version__)"
if [ "$TOKENIZER" = train ]; then
  python3 $HERE/prepare_tokens.py "$PACK" "$W/tokens" || exit 1
  cp "$W/tokens/tokenizer.json" "$W/ship/"
else
  python3 $HERE/prepare_tokens.py "$PACK" "$W/tokens" "$TOKENIZER" || exit 1
fi
cp "$W/tokens/tokens.json" "$W/ship/"
if [ "${SYNTH_MB:-0}" != 0 ]; then
  python3 $HERE/synth_logs.py "$W/tokens" "$SYNTH_MB" "${SYNTH_SEED:-1}" "$PACK" || exit 1
  cp "$W/tokens/synth.json" "$W/ship/"
fi
SEQ=${SEQ:-4096}
python3 $HERE/recall_episodes.py "$W/tokens" "${EPISODE_ROWS:-4096}" $SEQ 20240611 || exit 1
cp "$W/tokens/episodes.json" "$W/ship/"
DEADLINE=$((T0 + ${TRAIN_UNTIL:-420}))
PROBE_DEADLINE=$((T0 + ${PROBE_UNTIL:-480}))
echo "training until $(date -d @$DEADLINE +%T) ($(( DEADLINE - $(date +%s) ))s from now), probes until $(date -d @$PROBE_DEADLINE +%T)"
VARIANTS=${VARIANTS:-hybrid linear softmax}
PEERS=$(echo $VARIANTS | wc -w)
GPU_COUNT=$(nvidia-smi -L | wc -l)
i=0
rm -rf "$W/sync"
STREAM=${STREAM_EVAL:+--stream-eval $STREAM_EVAL}
NAMES=""
for spec in $VARIANTS; do
  v=${spec%%:*}; layers=${spec#*:}; NAMES="$NAMES $v"
  # with as many GPUs as trainers, each trainer gets its own (SPREAD=0 keeps them all on the first)
  if [ "${SPREAD:-1}" = 1 ] && [ "$GPU_COUNT" -ge "$PEERS" ]; then GPU=$i; else GPU=0; fi
  extra=$(eval echo "\${ARGS_$v:-}")
  CUDA_VISIBLE_DEVICES=$GPU timeout $(( PROBE_DEADLINE - $(date +%s) + 30 )) python3 $HERE/train.py --name $v --layers $layers \
      --data "$W/tokens" --out "$W/$v" --deadline $DEADLINE --probe-deadline $PROBE_DEADLINE --sync-dir "$W/sync" \
      --peers $PEERS --seq $SEQ --repeat-fraction "${REPEAT_FRACTION:-0}" $STREAM ${TRAIN_ARGS:-} $extra 2>&1 &
  i=$((i + 1))
done
wait
echo "trainers done at $(( $(date +%s) - T0 ))s"
summaries() {
python3 - "$W" $NAMES <<'PY'
import json, os, sys
d = sys.argv[1]
out = {}
for v in sys.argv[2:]:
    p = os.path.join(d, v, "summary.json")
    out[v] = json.load(open(p)) if os.path.exists(p) else None
print(json.dumps(out, indent=1))
PY
}
summaries > "$O/summary.json"  # first, so the figures come back even if the packing runs out of time
rm -rf "$W"/ship/golden*
GOLDEN_OF=${GOLDEN_OF:-hybrid}
for G in $GOLDEN_OF; do  # one variant: ship/golden; several: ship/golden-NAME each
  D="$W/ship/golden"; [ "$(echo $GOLDEN_OF | wc -w)" -gt 1 ] && D="$W/ship/golden-$G"
  [ -d "$W/$G/model" ] && python3 $HERE/make_golden.py "$W/$G/model" "$W/tokens" "$D" 128 2>&1
done
for v in $NAMES; do
  rm -rf "$W/ship/$v"; mkdir -p "$W/ship/$v"
  cp "$W/$v"/model/* "$W/$v/summary.json" "$W/$v/curve.csv" "$W/ship/$v/" 2>/dev/null
  if [ "${KEEP_STABLE:-0}" = 1 ] && [ -f "$W/$v/ckpt_stable.pt" ]; then
    python3 -c "import torch, sys; from safetensors.torch import save_file; ck = torch.load(sys.argv[1], map_location='cpu', weights_only=False); save_file({k: v.float().contiguous() for k, v in ck['model'].items() if k != 'lm_head.weight'}, sys.argv[2], metadata={'step': str(ck['step'])})" "$W/$v/ckpt_stable.pt" "$W/ship/$v/stable-f32.safetensors.bin"
  fi
done
python3 $HERE/plot_curves.py "$W/ship" "$W/ship/training-curve.png" 2>&1
WEIGHTS=$(for v in $NAMES; do ls "$W"/ship/$v/*.safetensors 2>/dev/null; done)
[ -n "$WEIGHTS" ] && python3 $HERE/pack_outputs.py pack $WEIGHTS
for f in "$W"/ship/golden*/golden.safetensors; do [ -f "$f" ] && xz -T0 -6 "$f"; done
tar -C "$W" -cf "$W/result.tar" ship && split -b 15M "$W/result.tar" "$O/result.tar.part-"
ls -la "$O"; echo "total $(( $(date +%s) - T0 ))s"

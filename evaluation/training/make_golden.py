"""GPU-machine step 3: the golden reference for a trained model, made as engine/src/test/python/make_golden_cases.py
makes the engine's reference cases: transformers' full forward pass in float64 over the saved BF16 weights, with
the lightning decay tables recomputed from their formula in float64; outputs stored as float32.

  python3 make_golden.py MODEL_DIR TOKENS_DIR OUT_DIR [SEQ]

Input: the first SEQ (default 128) tokens of the held-out log stream (real log text the model did not train on).
Writes OUT_DIR/golden.safetensors (input_ids, logits [SEQ, vocab], hidden_states.i, linear_state.i) and
OUT_DIR/golden.json.
"""
import json, os, struct, sys, time
import numpy as np
import torch
import transformers
from transformers import AutoConfig, MiniMaxForCausalLM
from safetensors.torch import save_file

model_dir, tokens_dir, out = sys.argv[1], sys.argv[2], sys.argv[3]
seq = int(sys.argv[4]) if len(sys.argv) > 4 else 128
os.makedirs(out, exist_ok=True)
cfg = AutoConfig.from_pretrained(model_dir)
cfg._attn_implementation = "eager"
try:
    cfg._experts_implementation = "eager"
except Exception as e:
    print("no experts_implementation switch", e)
model = MiniMaxForCausalLM.from_pretrained(model_dir, config=cfg, dtype=torch.bfloat16, attn_implementation="eager").eval()
if hasattr(model, "set_experts_implementation"):
    model.set_experts_implementation("eager")
assert next(model.parameters()).dtype == torch.bfloat16
stream = np.load(os.path.join(tokens_dir, "heldout_logs.npy"))
ids = torch.from_numpy(stream[1:seq + 1].astype(np.int64))[None]  # skip the leading <|endoftext|>
m64 = model.double()
torch.set_default_dtype(torch.float64)
with torch.no_grad():
    for mod in m64.modules():
        if hasattr(mod, "get_slope_rate") and hasattr(mod, "decay_factors"):
            slope = mod.get_slope_rate().double()
            qd, kd, dd = mod.decay_factors(slope)
            mod.slope_rate.copy_(slope); mod.query_decay.copy_(qd)
            mod.key_decay.copy_(kd); mod.diagonal_decay.copy_(dd)
torch.set_default_dtype(torch.float32)
t0 = time.time()
with torch.no_grad():
    full = m64(input_ids=ids, output_hidden_states=True, use_cache=True)
tensors = {"input_ids": ids[0].contiguous(), "logits": full.logits[0].float().contiguous()}
for i, h in enumerate(full.hidden_states):
    tensors["hidden_states.%d" % i] = h[0].float().contiguous()
for i, s in enumerate(getattr(full.past_key_values, "linear_cache", [])):
    if isinstance(s, torch.Tensor):
        tensors["linear_state.%d" % i] = s[0].float().contiguous()
save_file(tensors, os.path.join(out, "golden.safetensors"))


def saved_tensors(d):
    names = {}
    for fn in sorted(os.listdir(d)):
        if fn.endswith(".safetensors"):
            with open(os.path.join(d, fn), "rb") as f:
                n = struct.unpack("<Q", f.read(8))[0]
                header = json.loads(f.read(n))
            names.update({k: [v["dtype"], v["shape"], fn] for k, v in header.items() if k != "__metadata__"})
    return dict(sorted(names.items()))


tok_path = os.path.join(tokens_dir, "tokenizer.json")
text = None
if os.path.exists(tok_path):
    from tokenizers import Tokenizer
    text = Tokenizer.from_file(tok_path).decode(ids[0].tolist())
meta = {"case": "default-model", "transformers": transformers.__version__, "torch": torch.__version__, "seq": seq,
        "dtype": "float64 computed from the BF16 weights, stored float32", "save_dtype": "bfloat16",
        "input": "first %d tokens of the held-out log stream" % seq, "text": text,
        "logit_abs_max": full.logits.abs().max().item(), "seconds": time.time() - t0,
        "saved_tensors": saved_tensors(model_dir)}
with open(os.path.join(out, "golden.json"), "w") as f:
    json.dump(meta, f, indent=1)
print("golden: seq %d, logit max %.3f, %d tensors in the checkpoint" % (seq, meta["logit_abs_max"],
                                                                        len(meta["saved_tensors"])), flush=True)

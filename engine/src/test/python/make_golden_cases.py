"""Reference cases for the Linnet engine, made with HuggingFace transformers' MiniMax implementation.

Extends ../shared/golden/make_minimax_golden.py (same method: random weights, float64 forward pass with the
decay tables recomputed from their formula) to the configurations the engine claims to support: other head
counts, GQA ratios, k = 1 routing, tied embeddings, no window, non-unit alpha/beta factors, BF16 weights,
softmax layers in other places. Outputs are stored as float32 (errors of 1e-7, far below the 1e-3 check) to
keep the cases small enough for engine/src/test/resources/golden/.

Run where torch and transformers exist (the GPU machine): python3 make_golden_cases.py OUTDIR
"""
import json, os, struct, sys, time
import torch
import transformers
from transformers import MiniMaxConfig, MiniMaxForCausalLM
from safetensors.torch import save_file

out_root = sys.argv[1]
print("transformers", transformers.__version__, "torch", torch.__version__, flush=True)

L, S = "linear_attention", "full_attention"
CASES = {
    # GQA 4:1, head_dim * heads != hidden, k = 1 routing, tied embeddings, softmax layers not last
    "gqa-top1-tied": dict(vocab_size=256, hidden_size=48, intermediate_size=40, num_hidden_layers=6,
                          num_attention_heads=8, num_key_value_heads=2, head_dim=8,
                          num_local_experts=3, num_experts_per_tok=1, block_size=8, sliding_window=20,
                          layer_types=[L, S, L, L, S, L], tie_word_embeddings=True, seq=160, seed=2),
    # no window (full causal softmax), non-unit residual factors, multi-query attention (1 kv head)
    "nowindow-factors-mqa": dict(vocab_size=256, hidden_size=64, intermediate_size=48, num_hidden_layers=4,
                                 num_attention_heads=2, num_key_value_heads=1, head_dim=32,
                                 num_local_experts=4, num_experts_per_tok=2, block_size=32, sliding_window=None,
                                 layer_types=[L, L, S, L], tie_word_embeddings=False,
                                 linear_attn_alpha_factor=1.3, linear_attn_beta_factor=0.7,
                                 full_attn_alpha_factor=0.9, full_attn_beta_factor=1.2,
                                 mlp_alpha_factor=1.1, mlp_beta_factor=0.8, seq=200, seed=3),
    # BF16 weights on disk, multi-head (no GQA), 8 experts top-3
    "bf16-mha-top3": dict(vocab_size=256, hidden_size=64, intermediate_size=32, num_hidden_layers=4,
                          num_attention_heads=4, num_key_value_heads=4, head_dim=16,
                          num_local_experts=8, num_experts_per_tok=3, block_size=16, sliding_window=32,
                          layer_types=[L, L, L, S], tie_word_embeddings=False, seq=150,
                          seed=4, save_dtype="bfloat16"),
    # softmax first, 6 heads (slopes for a non-power-of-two head count), block 5, window 30
    "softmax-first-6heads": dict(vocab_size=200, hidden_size=72, intermediate_size=56, num_hidden_layers=5,
                                 num_attention_heads=6, num_key_value_heads=3, head_dim=12,
                                 num_local_experts=2, num_experts_per_tok=2, block_size=5, sliding_window=30,
                                 layer_types=[S, L, L, L, L], tie_word_embeddings=False, seq=120, seed=5),
}


def saved_tensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
    return {k: [v["dtype"], v["shape"]] for k, v in sorted(header.items()) if k != "__metadata__"}


for name, spec in CASES.items():
    spec = dict(spec)
    seq, seed = spec.pop("seq"), spec.pop("seed")
    save_dtype = spec.pop("save_dtype", "float32")
    torch.manual_seed(seed)
    cfg = MiniMaxConfig(**spec, rope_parameters={"rope_type": "default", "rope_theta": 10000.0})
    cfg._attn_implementation = "eager"
    try:
        cfg._experts_implementation = "eager"
    except Exception as e:
        print("no experts_implementation switch", e)
    model = MiniMaxForCausalLM(cfg).eval()
    if hasattr(model, "set_experts_implementation"):
        model.set_experts_implementation("eager")
    with torch.no_grad():
        for n, p in model.named_parameters():
            if n.endswith("norm.weight") or "layernorm" in n:
                p.copy_(1.0 + 0.3 * torch.randn_like(p))
            else:
                p.copy_(0.08 * torch.randn_like(p))
    d = os.path.join(out_root, name)
    model = model.to(getattr(torch, save_dtype))
    model.save_pretrained(d)
    ids = torch.randint(0, cfg.vocab_size, (1, seq), generator=torch.Generator().manual_seed(seed + 100))
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
    tensors = {"input_ids": ids[0].to(torch.int64).contiguous(),
               "logits": full.logits[0].float().contiguous()}
    for i, h in enumerate(full.hidden_states):
        tensors[f"hidden_states.{i}"] = h[0].float().contiguous()
    lin = getattr(full.past_key_values, "linear_cache", [])
    for i, s in enumerate(lin):
        if isinstance(s, torch.Tensor):
            tensors[f"linear_state.{i}"] = s[0].float().contiguous()
    save_file(tensors, os.path.join(d, "golden.safetensors"))
    meta = {"case": name, "transformers": transformers.__version__, "torch": torch.__version__,
            "seq": seq, "dtype": "float64 computed, stored float32", "save_dtype": save_dtype,
            "logit_abs_max": full.logits.abs().max().item(), "seconds": time.time() - t0,
            "saved_tensors": saved_tensors(os.path.join(d, "model.safetensors"))}
    with open(os.path.join(d, "golden.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print(name, "logit max", meta["logit_abs_max"], "tensors", len(meta["saved_tensors"]), flush=True)

"""Reference cases for the Linnet engine, made with HuggingFace transformers' MiniMax implementation.

Each case: a small random MiniMax checkpoint (config.json + model.safetensors, saved by save_pretrained) and
golden.safetensors holding input_ids and what transformers computes for them in float64 (logits, every layer's
hidden states, the final lightning-attention states), plus golden.json (versions, the checkpoint file's tensors).
The configurations cover what the engine claims to support: head counts, GQA ratios, k = 1 routing, tied
embeddings, no window, non-unit alpha/beta factors, BF16 weights, softmax layers in other places.
engine/src/test/resources/golden/README.md says what each case is for.

The reference pass is float64 throughout. transformers does three things in lower precision that no loader of the
saved checkpoint reproduces, so this script replaces them before the pass, from their formulas in float64:
- the lightning layers' decay tables (slope_rate, query_decay, key_decay, diagonal_decay), saved as rounded buffers;
- the rotary inv_freq buffer, which model.to(bfloat16) rounds to 8 bits of mantissa in memory (not saved);
- the rotary cos/sin, which transformers' rotary forward always computes from float32 angles.
Every case is checked to have had all three replaced; the script stops otherwise.

Outputs are stored as float32 (errors of 1e-7, well below the engine's test tolerances), except cases with
store="float64" (minimax-tiny-hybrid), which also hold the reference's own cached decoding path
(incremental_logits) to show how far it drifts from its full pass.

Run where torch and transformers exist (made with torch 2.11, transformers 5.17):
    python3 make_golden_cases.py OUTDIR [--against DIR] [CASE ...]
OUTDIR/CASE/ receives each case (default: every case). --against DIR (e.g. engine/src/test/resources/golden)
prints, for each case, whether model.safetensors is byte-identical to DIR/CASE's and the largest change of the
reference logits. Random weights come from fixed seeds on the CPU, so the same versions give the same checkpoints.
"""
import argparse
import hashlib
import json
import os
import struct
import time
import types

import torch
import transformers
from safetensors.torch import load_file, save_file
from transformers import MiniMaxConfig, MiniMaxForCausalLM

L, S = "linear_attention", "full_attention"
CASES = {
    # the case most tests use: dense-ish MoE, one softmax layer in eight, block and window small; 300 tokens cross
    # many blocks and the window; outputs kept in float64, with the reference's cached decoding path
    "minimax-tiny-hybrid": dict(vocab_size=512, hidden_size=64, intermediate_size=96, num_hidden_layers=8,
                                num_attention_heads=4, num_key_value_heads=2, head_dim=16,
                                num_local_experts=4, num_experts_per_tok=2, block_size=16, sliding_window=48,
                                layer_types=[L] * 7 + [S], tie_word_embeddings=False, seq=300, seed=1,
                                store="float64", incremental=True),
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
ROPE_THETA = 10000.0


def saved_tensors(path):
    """Names, dtypes and shapes as written in the checkpoint file (not as named in memory)."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
    return {k: [v["dtype"], v["shape"]] for k, v in sorted(header.items()) if k != "__metadata__"}


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def rope_forward_float64(self, x, position_ids, *args, **kwargs):
    """transformers' default rotary forward, with the angles and their cos/sin in float64 (it uses float32)."""
    freqs = position_ids[:, :, None].to(torch.float64) * self.inv_freq.to(torch.float64)[None, None, :]
    emb = torch.cat((freqs, freqs), dim=-1)
    scale = getattr(self, "attention_scaling", 1.0)
    return (emb.cos() * scale).to(x.dtype), (emb.sin() * scale).to(x.dtype)


def to_float64_reference(model, cfg):
    """model.double(), then the decay tables and rotary embedding from their formulas in float64 (see above)."""
    m64 = model.double()
    decays = ropes = 0
    with torch.no_grad():
        for mod in m64.modules():
            if hasattr(mod, "get_slope_rate") and hasattr(mod, "decay_factors"):
                slope = mod.get_slope_rate().double()
                qd, kd, dd = mod.decay_factors(slope)
                mod.slope_rate.copy_(slope); mod.query_decay.copy_(qd)
                mod.key_decay.copy_(kd); mod.diagonal_decay.copy_(dd)
                decays += 1
            if hasattr(mod, "inv_freq"):
                # default rope, full rotation (transformers 5.17 ignores partial_rotary_factor for this model)
                dim = mod.inv_freq.numel() * 2
                assert dim == cfg.head_dim, (dim, cfg.head_dim)
                mod.inv_freq = 1.0 / (ROPE_THETA ** (torch.arange(0, dim, 2, dtype=torch.float64) / dim))
                mod.forward = types.MethodType(rope_forward_float64, mod)
                ropes += 1
    assert decays == cfg.layer_types.count(L), ("decay tables replaced in", decays, "layers")
    assert ropes >= 1, "no rotary embedding with an inv_freq buffer found"
    # the patched rotary embedding must give float64 cos/sin equal to the formula's
    for mod in m64.modules():
        if hasattr(mod, "inv_freq"):
            pos = torch.arange(1000, dtype=torch.int64)[None]
            cos, sin = mod(torch.zeros(1, dtype=torch.float64), pos)
            half = cfg.head_dim // 2
            inv = [ROPE_THETA ** (-2.0 * i / cfg.head_dim) for i in range(half)]
            want = torch.tensor([[p * inv[i] for i in range(half)] for p in range(1000)], dtype=torch.float64)
            assert cos.dtype == torch.float64 and cos.shape[-1] == cfg.head_dim, (cos.dtype, cos.shape)
            assert (cos[0, :, :half] - want.cos()).abs().max().item() < 1e-12
            assert (sin[0, :, half:] - want.sin()).abs().max().item() < 1e-12
    return m64


def make(name, spec, out_root):
    spec = dict(spec)
    seq, seed = spec.pop("seq"), spec.pop("seed")
    save_dtype = spec.pop("save_dtype", "float32")
    store = getattr(torch, spec.pop("store", "float32"))
    incremental = spec.pop("incremental", False)
    torch.manual_seed(seed)
    cfg = MiniMaxConfig(**spec, rope_parameters={"rope_type": "default", "rope_theta": ROPE_THETA})
    cfg._attn_implementation = "eager"
    try:
        cfg._experts_implementation = "eager"
    except Exception as e:
        print("no experts_implementation switch", e)
    model = MiniMaxForCausalLM(cfg).eval()
    if hasattr(model, "set_experts_implementation"):
        model.set_experts_implementation("eager")
    with torch.no_grad():  # random norms and wider weights so that no part is an identity
        for n, p in model.named_parameters():
            if n.endswith("norm.weight") or "layernorm" in n:
                p.copy_(1.0 + 0.3 * torch.randn_like(p))
            else:
                p.copy_(0.08 * torch.randn_like(p))
    d = os.path.join(out_root, name)
    model = model.to(getattr(torch, save_dtype))  # the reference then runs on exactly the saved values
    model.save_pretrained(d)
    ids = torch.randint(0, cfg.vocab_size, (1, seq), generator=torch.Generator().manual_seed(seed + 100))
    torch.set_default_dtype(torch.float64)
    m64 = to_float64_reference(model, cfg)
    torch.set_default_dtype(torch.float32)
    t0 = time.time()
    with torch.no_grad():
        full = m64(input_ids=ids, output_hidden_states=True, use_cache=True)
    tensors = {"input_ids": ids[0].to(torch.int64).contiguous(), "logits": full.logits[0].to(store).contiguous()}
    for i, h in enumerate(full.hidden_states):
        tensors[f"hidden_states.{i}"] = h[0].to(store).contiguous()
    for i, s in enumerate(getattr(full.past_key_values, "linear_cache", [])):
        if isinstance(s, torch.Tensor):
            tensors[f"linear_state.{i}"] = s[0].to(store).contiguous()
    meta = {"case": name, "transformers": transformers.__version__, "torch": torch.__version__, "seq": seq,
            "dtype": "float64 computed, stored " + str(store).replace("torch.", ""), "save_dtype": save_dtype,
            "float64": "decay tables, rotary inv_freq and rotary cos/sin recomputed in float64 from their formulas"}
    if incremental:
        # a first chunk, then one token at a time with the model's own cache; positions given explicitly, as its
        # cache counts no tokens when layer 0 is linear. With a sliding window this path is still wrong (the
        # window mask), so the full pass is the reference.
        k = seq // 3
        with torch.no_grad():
            part = m64(input_ids=ids[:, :k], use_cache=True)
            cache, steps = part.past_key_values, [part.logits]
            for i in range(k, seq):
                o = m64(input_ids=ids[:, i:i + 1], past_key_values=cache, use_cache=True,
                        position_ids=torch.tensor([[i]]))
                cache = o.past_key_values
                steps.append(o.logits)
        inc = torch.cat(steps, dim=1)
        tensors["incremental_logits"] = inc[0].to(store).contiguous()
        meta["incremental_split"] = k
        meta["max_abs_full_vs_incremental"] = (full.logits - inc).abs().max().item()
    save_file(tensors, os.path.join(d, "golden.safetensors"))
    meta["logit_abs_max"] = full.logits.to(store).abs().max().item()
    meta["seconds"] = time.time() - t0
    meta["saved_tensors"] = saved_tensors(os.path.join(d, "model.safetensors"))
    with open(os.path.join(d, "golden.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print(name, "logit max", meta["logit_abs_max"], "tensors", len(meta["saved_tensors"]), flush=True)


def compare(name, out_root, against):
    new, old = os.path.join(out_root, name), os.path.join(against, name)
    if not os.path.isdir(old):
        print(f"  {name}: nothing to compare at {old}")
        return
    same = sha256(os.path.join(new, "model.safetensors")) == sha256(os.path.join(old, "model.safetensors"))
    a, b = load_file(os.path.join(new, "golden.safetensors")), load_file(os.path.join(old, "golden.safetensors"))
    same_ids = torch.equal(a["input_ids"], b["input_ids"])
    change = (a["logits"].double() - b["logits"].double()).abs().max().item()
    hidden = max((a[k].double() - b[k].double()).abs().max().item() for k in a if k.startswith("hidden_states."))
    print(f"  {name}: model.safetensors {'identical' if same else 'DIFFERENT'}, input_ids "
          f"{'identical' if same_ids else 'DIFFERENT'}, reference logits moved by up to {change:.3e}, "
          f"hidden states by up to {hidden:.3e}", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("cases", nargs="*", help="case names (default: all)")
    ap.add_argument("--against", help="folder of committed cases to compare with")
    a = ap.parse_intermixed_args()  # case names may follow --against
    unknown = [c for c in a.cases if c not in CASES]
    if unknown:
        raise SystemExit(f"unknown case(s) {unknown}; known: {list(CASES)}")
    print("transformers", transformers.__version__, "torch", torch.__version__, flush=True)
    for name in a.cases or CASES:
        make(name, CASES[name], a.out)
    if a.against:
        print("against", a.against)
        for name in a.cases or CASES:
            compare(name, a.out, a.against)


if __name__ == "__main__":
    main()

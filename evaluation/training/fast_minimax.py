"""Faster forward passes for transformers' MiniMax lightning attention and experts during training: the same
arithmetic in far fewer GPU kernels. The checkpoint format and the model are unchanged (weights only).

- Lightning attention: the library walks the sequence block by block (block_size 256) in Python, about a dozen
  small kernels per block and layer. Here all blocks go at once: the in-block part as one batched product over
  [batch, heads, blocks, 256, 256], each block's K^T V as one batched product, and the state entering block i,
  sum over j < i of decay^(256 (i-1-j)) K_j^T V_j, as one product with a [blocks+1, blocks] decay matrix (in
  float32, as the library keeps its running state). A length that is not a multiple of the block is padded
  with zeros at the end, which changes no earlier output (causal).
- Experts: the library loops over the experts with index lookups (and a host sync per layer). Here every
  expert runs on every token (4 experts, tiny), weighted by the routing weights with zeros for the experts not
  chosen: the same sum without data-dependent shapes.

install(model, log) switches them on only after checking them against the library's own code on the model's
own layers (float32, TF32 off): each lightning layer at a block multiple and a padded length (outputs and the
final state), the experts, and the whole model's logits. A difference over 1e-4 (relative to the largest
value), an exception, or a library whose classes look different keeps the library's code. ENABLED can switch
them off again (e.g. to evaluate with the library's code).
"""
import torch
import torch.nn.functional as F
from transformers.models.minimax import modeling_minimax as mm

_LIGHTNING = getattr(mm, "MiniMaxLightningAttention", None)
_EXPERTS = getattr(mm, "MiniMaxExperts", None)
_LIB_LIGHTNING = _LIGHTNING.forward if _LIGHTNING is not None else None
_LIB_EXPERTS = _EXPERTS.forward if _EXPERTS is not None else None
ENABLED = {"lightning": False, "experts": False}
TOLERANCE = 1e-4


def _state_decays(slope, blocks, block):
    """[heads, blocks + 1, blocks]: row i weighs block j's K^T V in the state entering block i (row `blocks`
    is the state after the last block)."""
    i = torch.arange(blocks + 1, device=slope.device, dtype=torch.float32)[:, None]
    j = torch.arange(blocks, device=slope.device, dtype=torch.float32)[None, :]
    steps = (i - 1 - j).clamp(min=0)
    w = torch.exp(-slope.float()[:, None, None] * block * steps)
    return torch.where((j <= i - 1)[None], w, torch.zeros((), device=slope.device))


def lightning_forward(self, hidden_states, position_embeddings=None, attention_mask=None, past_key_values=None,
                      cache_position=None, **kwargs):
    cached = past_key_values.get_linear_cache(self.layer_idx) if past_key_values is not None else None
    batch, length, _ = hidden_states.shape
    block = self.block_size
    pad = (-length) % block
    if (not ENABLED["lightning"] or attention_mask is not None or cached is not None
            or (pad and past_key_values is not None)):
        return _LIB_LIGHTNING(self, hidden_states=hidden_states, position_embeddings=position_embeddings,
                              attention_mask=attention_mask, past_key_values=past_key_values,
                              cache_position=cache_position, **kwargs)
    heads, dim = self.num_attention_heads, self.head_dim
    qkv = self.act_fn(self.qkv_proj(hidden_states)).reshape(batch, length, heads, 3 * dim)
    q, k, v = (t.transpose(1, 2) for t in torch.split(qkv, dim, dim=3))  # [batch, heads, length, dim]
    if pad:
        q, k, v = (F.pad(t, (0, 0, 0, pad)) for t in (q, k, v))
    blocks = (length + pad) // block
    q, k, v = (t.reshape(batch, heads, blocks, block, dim) for t in (q, k, v))
    # buffers: query_decay and key_decay [heads, block, 1], diagonal_decay [1, heads, block, block]
    intra = torch.matmul(torch.matmul(q, k.transpose(-1, -2)) * self.diagonal_decay[:, :, None], v)
    kv = torch.matmul((k * self.key_decay[None, :, None]).transpose(-1, -2), v)  # [batch, heads, blocks, dim, dim]
    decays = _state_decays(self.slope_rate.reshape(heads), blocks, block)
    with torch.autocast(device_type=hidden_states.device.type, enabled=False):
        states = torch.matmul(decays[None], kv.float().reshape(batch, heads, blocks, dim * dim))
    states = states.reshape(batch, heads, blocks + 1, dim, dim)
    qd = q * self.query_decay[None, :, None]
    inter = torch.matmul(qd, states[:, :, :blocks].to(qd.dtype))  # under autocast both go to bf16, as in the library
    out = (intra + inter).reshape(batch, heads, blocks * block, dim)[:, :, :length]
    out = out.transpose(1, 2).reshape(batch, length, heads * dim)
    out = self.norm(out)
    out = F.sigmoid(self.output_gate(hidden_states)) * out
    out = self.out_proj(out)
    final = states[:, :, blocks]
    if past_key_values is not None:
        past_key_values.set_linear_cache(self.layer_idx, final)
    return out, final


def experts_forward(self, hidden_states, top_k_index, top_k_weights):
    if not ENABLED["experts"] or hidden_states.dim() != 2:
        return _LIB_EXPERTS(self, hidden_states, top_k_index, top_k_weights)
    weights = torch.zeros(hidden_states.shape[0], self.num_experts, dtype=top_k_weights.dtype,
                          device=hidden_states.device).scatter_add_(1, top_k_index, top_k_weights)
    gate, up = torch.matmul(hidden_states.unsqueeze(0), self.gate_up_proj.transpose(1, 2)).chunk(2, dim=-1)
    out = torch.matmul(self.act_fn(gate) * up, self.down_proj.transpose(1, 2))  # [experts, tokens, hidden]
    return (out * weights.t().unsqueeze(-1)).sum(0).to(hidden_states.dtype)


def _relative(a, b):
    return ((a.float() - b.float()).abs().max() / b.float().abs().max().clamp(min=1e-12)).item()


@torch.no_grad()
def _check_lightning(model):
    worst = 0.0
    hidden = model.config.hidden_size
    dev = next(model.parameters()).device
    g = torch.Generator(device=dev).manual_seed(7)
    for m in model.modules():
        if isinstance(m, _LIGHTNING):
            for length in (4 * m.block_size, 3 * m.block_size - 68):
                x = torch.randn(2, length, hidden, device=dev, generator=g)
                fast = m(hidden_states=x, position_embeddings=None, attention_mask=None)
                lib = _LIB_LIGHTNING(m, hidden_states=x, position_embeddings=None, attention_mask=None)
                worst = max(worst, _relative(fast[0], lib[0]))
                if length % m.block_size == 0:
                    worst = max(worst, _relative(fast[1], lib[1]))
    return worst


@torch.no_grad()
def _check_experts(model):
    worst = 0.0
    dev = next(model.parameters()).device
    g = torch.Generator(device=dev).manual_seed(8)
    for m in model.modules():
        if isinstance(m, _EXPERTS):
            x = torch.randn(3000, model.config.hidden_size, device=dev, generator=g)
            probs = torch.softmax(torch.randn(3000, m.num_experts, device=dev, generator=g), -1)
            w, idx = probs.topk(model.config.num_experts_per_tok, dim=-1)
            w = w / w.sum(-1, keepdim=True)
            worst = max(worst, _relative(m(x, idx, w), _LIB_EXPERTS(m, x, idx, w)))
    return worst


@torch.no_grad()
def _check_model(model):
    dev = next(model.parameters()).device
    g = torch.Generator(device=dev).manual_seed(9)
    x = torch.randint(1, model.config.vocab_size, (2, 1024), device=dev, generator=g)
    chosen = dict(ENABLED)
    fast = model(input_ids=x, use_cache=False).logits
    ENABLED.update({k: False for k in ENABLED})
    lib = model(input_ids=x, use_cache=False).logits
    ENABLED.update(chosen)
    return _relative(fast, lib)


def install(model, log=print):
    """Patch the classes, check each part on this model, keep only what matches. Returns a report."""
    report = {}
    if _LIGHTNING is not None:
        _LIGHTNING.forward = lightning_forward
    if _EXPERTS is not None:
        _EXPERTS.forward = experts_forward
    tf32 = (torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32)
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
    was_training = model.training
    model.eval()
    try:
        for name, check, cls in (("lightning", _check_lightning, _LIGHTNING), ("experts", _check_experts, _EXPERTS)):
            if cls is None:
                report[name] = {"used": False, "error": "class not in this transformers"}
                continue
            ENABLED[name] = True
            try:
                err = check(model)
                ENABLED[name] = err <= TOLERANCE
                report[name] = {"used": ENABLED[name], "max_rel_diff": err}
            except Exception as e:  # a library that differs from what this file expects: keep its code
                ENABLED[name] = False
                report[name] = {"used": False, "error": repr(e)[:300]}
        if any(ENABLED.values()):
            try:
                err = _check_model(model)
                report["model"] = {"max_rel_diff": err}
                if err > TOLERANCE:
                    ENABLED.update({k: False for k in ENABLED})
            except Exception as e:
                report["model"] = {"error": repr(e)[:300]}
                ENABLED.update({k: False for k in ENABLED})
    finally:
        torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = tf32
        model.train(was_training)
    report["enabled"] = dict(ENABLED)
    log("fast paths: %s" % report)
    return report

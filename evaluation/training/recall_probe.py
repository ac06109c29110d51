"""Recall probe in PyTorch: the planted facts of recall_probe.npz (made by recall_episodes.py) run through a
trained model, teacher-forced; for each distance D the greedy accuracy (every token of the answer "=NAME" is
the argmax), the accuracy per answer token, the mean probability of the whole answer, and the same for the
control rows (an id that never occurred, so only a guess can answer).

  python3 recall_probe.py MODEL_DIR PROBE_NPZ [OUT.json]      (standalone, on a saved model)
  recall_probe.run(model, PROBE_NPZ, deadline)                 (from train.py, on the model in memory)

The model runs with float32 weights holding the saved BF16 values and the lightning decay tables recomputed
in float32 from their formula (as the Java engine does), under bf16 autocast, as in training.
Distances go in increasing order; one whose estimated time would pass the deadline is left out and named.
"""
import json, math, sys, time
import numpy as np
import torch
import torch.nn.functional as F


@torch.no_grad()
def exact_decays(model):
    """Recompute the lightning layers' decay buffers in float32 (a BF16 round trip leaves them coarse)."""
    for m in model.modules():
        if hasattr(m, "get_slope_rate") and hasattr(m, "decay_factors"):
            dev = m.slope_rate.device
            slope = m.get_slope_rate().float()
            qd, kd, dd = m.decay_factors(slope)
            for name, value in (("slope_rate", slope), ("query_decay", qd), ("key_decay", kd), ("diagonal_decay", dd)):
                setattr(m, name, value.to(device=dev, dtype=torch.float32))


@torch.no_grad()
def score(model, ids, vstart, vend):
    """(exact, per-token accuracy, log-probability of the answer) for each row of ids [rows, length]."""
    hidden = model.model(input_ids=ids, use_cache=False).last_hidden_state  # [rows, length, width]
    span = int((vend - vstart).max())
    offs = torch.arange(span, device=ids.device)[None]
    valid = offs < (vend - vstart)[:, None]
    pos = (vstart[:, None] - 1 + offs).clamp(max=ids.shape[1] - 2)  # the logits at p - 1 predict token p
    h = hidden.gather(1, pos[..., None].expand(-1, -1, hidden.shape[-1]))
    logp = F.log_softmax(model.lm_head(h).float(), dim=-1)
    target = ids.gather(1, pos + 1)
    hit = (logp.argmax(-1) == target) & valid
    lp = (logp.gather(-1, target[..., None])[..., 0] * valid).sum(1)
    n = valid.sum(1)
    return (hit.sum(1) == n), hit.sum(1).float() / n, lp


def run(model, probe_path, deadline=None, tokens_per_batch=65536, log=print):
    data = np.load(probe_path)
    dev = next(model.parameters()).device
    was_training = model.training
    model.eval()
    results, left_out, rate = {}, [], None
    try:
        for d in [int(x) for x in data["distances"]]:
            ids = data["ids_%d" % d].astype(np.int64)
            # zeros after the answer change nothing before it (causal); lengths in multiples of 64 keep SDPA on
            # its fused kernels
            ids = torch.from_numpy(np.pad(ids, ((0, 0), (0, (-ids.shape[1]) % 64))))
            rows, length = ids.shape
            if deadline is not None and rate is not None and time.time() + 1.5 * rows * length / rate > deadline:
                left_out.append(d)
                continue
            vstart = torch.from_numpy(data["vstart_%d" % d].astype(np.int64))
            vend = torch.from_numpy(data["vend_%d" % d].astype(np.int64))
            control = torch.from_numpy(data["control_%d" % d])
            per = max(1, tokens_per_batch // length)
            t0 = time.time()
            while True:
                try:
                    exact, tokacc, lp = [], [], []
                    for i in range(0, rows, per):
                        with torch.autocast("cuda", dtype=torch.bfloat16):
                            e, a, l = score(model, ids[i:i + per].to(dev), vstart[i:i + per].to(dev),
                                            vend[i:i + per].to(dev))
                        exact.append(e.cpu()); tokacc.append(a.cpu()); lp.append(l.cpu())
                    break
                except torch.cuda.OutOfMemoryError:
                    if per == 1:
                        raise
                    per = max(1, per // 2)
                torch.cuda.empty_cache()
            torch.cuda.synchronize()
            rate = rows * length / max(1e-3, time.time() - t0)
            exact, tokacc, lp = torch.cat(exact), torch.cat(tokacc), torch.cat(lp)
            fact = ~control
            results[str(d)] = {
                "trials": int(fact.sum()), "accuracy": exact[fact].float().mean().item(),
                "token_accuracy": tokacc[fact].mean().item(), "p_value": lp[fact].exp().mean().item(),
                "control_trials": int(control.sum()),
                "control_accuracy": exact[control].float().mean().item() if control.any() else None,
                "control_p_value": lp[control].exp().mean().item() if control.any() else None,
                "seconds": round(time.time() - t0, 2)}
            log("recall D=%d: %s" % (d, json.dumps(results[str(d)])))
    finally:
        model.train(was_training)
    return {"by_distance": results, "left_out_for_time": left_out,
            "answer": "'=NAME' after '... request_id=req-XXXXXXXX user', teacher-forced; greedy = every token argmax"}


if __name__ == "__main__":
    from transformers import MiniMaxForCausalLM
    model = MiniMaxForCausalLM.from_pretrained(sys.argv[1], dtype=torch.float32).cuda()
    exact_decays(model)
    out = run(model, sys.argv[2])
    text = json.dumps(out, indent=1)
    if len(sys.argv) > 3:
        open(sys.argv[3], "w").write(text)
    print(text)

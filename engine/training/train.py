"""GPU-machine step 2: train one MiniMax model (transformers' MiniMaxForCausalLM) on the encoded corpus.

  python3 train.py --name hybrid --layers hybrid --data TOKENS_DIR --out RUN_DIR --deadline UNIX_TIME
                   [--sync-dir DIR --peers 3] [--resume]

--layers: hybrid (7 lightning + 1 windowed softmax, the default model), linear (8 lightning), softmax (8 windowed
softmax). Several trainers may share one GPU: with --sync-dir they measure their speed after a few steps and
agree on one step budget (the slowest one's), so the variants see the same data in the same order for the same
number of steps. Training stops at that budget or at --deadline, whichever comes first, then evaluates held-out
perplexity and saves the model in BF16 (shards of at most 15 MB). --resume continues from RUN_DIR/ckpt.pt
(model, optimizer, data RNG, schedule, curve), saved every 100 steps and at the end.
"""
import argparse, json, math, os, time
import numpy as np
import torch
import torch.nn.functional as F
from transformers import MiniMaxConfig, MiniMaxForCausalLM

ap = argparse.ArgumentParser()
ap.add_argument("--name", required=True)
ap.add_argument("--layers", choices=["hybrid", "linear", "softmax"], required=True)
ap.add_argument("--data", required=True)
ap.add_argument("--out", required=True)
ap.add_argument("--deadline", type=float, required=True, help="unix time at which training must stop")
ap.add_argument("--sync-dir")
ap.add_argument("--peers", type=int, default=1)
ap.add_argument("--resume", action="store_true")
ap.add_argument("--batch", type=int, default=16)
ap.add_argument("--seq", type=int, default=4096)
ap.add_argument("--lr", type=float, default=1e-3)
ap.add_argument("--warmup", type=int, default=60)
ap.add_argument("--logs-fraction", type=float, default=0.3, help="share of sequences drawn from the log stream")
ap.add_argument("--max-steps", type=int, default=100000)
ap.add_argument("--seed", type=int, default=1234)
args = ap.parse_args()
os.makedirs(args.out, exist_ok=True)
dev = torch.device("cuda")
torch.backends.cuda.matmul.allow_tf32 = True
torch.backends.cudnn.allow_tf32 = True


def log(msg):
    print("[%s %s] %s" % (args.name, time.strftime("%H:%M:%S"), msg), flush=True)


L, S = "linear_attention", "full_attention"
LAYERS = {"hybrid": [L] * 7 + [S], "linear": [L] * 8, "softmax": [S] * 8}[args.layers]
cfg = MiniMaxConfig(
    vocab_size=8192, hidden_size=256, intermediate_size=256, num_hidden_layers=8,
    num_attention_heads=4, num_key_value_heads=2, head_dim=64,
    num_local_experts=4, num_experts_per_tok=2, block_size=256, sliding_window=1024,
    layer_types=LAYERS, tie_word_embeddings=True, max_position_embeddings=1 << 20,
    rope_parameters={"rope_type": "default", "rope_theta": 10000.0},
    bos_token_id=0, eos_token_id=0, pad_token_id=None,
    output_router_logits=True, router_aux_loss_coef=0.01)
cfg._attn_implementation = "sdpa"
try:  # the experts as a plain loop: the same numbers as the reference path, no fused kernel to go wrong
    cfg._experts_implementation = "eager"
except Exception as e:
    print("no experts_implementation switch", e)
torch.manual_seed(args.seed)
model = MiniMaxForCausalLM(cfg).to(dev)
if hasattr(model, "set_experts_implementation"):
    model.set_experts_implementation("eager")
n_params = sum(p.numel() for p in model.parameters())
log("layers %s, %.2fM parameters" % (args.layers, n_params / 1e6))

streams = {k: torch.from_numpy(np.load(os.path.join(args.data, k + ".npy")).astype(np.int64))
           for k in ("train_logs", "train_prose", "heldout_logs", "heldout_prose")}
counts = json.load(open(os.path.join(args.data, "tokens.json")))

decay, no_decay = [], []
for n, p in model.named_parameters():
    (no_decay if p.ndim < 2 or "norm" in n else decay).append(p)
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                        lr=args.lr, betas=(0.9, 0.95), eps=1e-8, fused=True)
rng = np.random.default_rng(args.seed)
step, total_steps, curve, trained_seconds = 0, None, [], 0.0
ckpt_path = os.path.join(args.out, "ckpt.pt")
if args.resume and os.path.exists(ckpt_path):
    ck = torch.load(ckpt_path, map_location=dev, weights_only=False)
    model.load_state_dict(ck["model"]); opt.load_state_dict(ck["opt"])
    rng.bit_generator.state = ck["rng"]
    step, total_steps, curve, trained_seconds = ck["step"], ck["total_steps"], ck["curve"], ck["trained_seconds"]
    log("resumed at step %d of %s" % (step, total_steps))


def save_ckpt():
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "rng": rng.bit_generator.state,
                "step": step, "total_steps": total_steps, "curve": curve, "trained_seconds": trained_seconds},
               ckpt_path + ".tmp")
    os.replace(ckpt_path + ".tmp", ckpt_path)


def lr_at(s):
    if s < args.warmup:
        return args.lr * (s + 1) / args.warmup
    total = total_steps or args.max_steps
    frac = min(1.0, (s - args.warmup) / max(1, total - args.warmup))
    return args.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))


def batch():
    rows = []
    for _ in range(args.batch):
        src = streams["train_logs"] if rng.random() < args.logs_fraction else streams["train_prose"]
        off = int(rng.integers(0, src.numel() - args.seq - 1))
        rows.append(src[off:off + args.seq])
    return torch.stack(rows).to(dev, non_blocking=True)


def agree_on_budget(sec_per_step):
    """Each trainer writes its speed; all take the slowest, so every variant gets the same step count."""
    global total_steps
    mine = {"name": args.name, "sec_per_step": sec_per_step, "step": step, "time": time.time()}
    if not args.sync_dir:
        peers = [mine]
    else:
        os.makedirs(args.sync_dir, exist_ok=True)
        with open(os.path.join(args.sync_dir, "calib_%s.json.tmp" % args.name), "w") as f:
            json.dump(mine, f)
        os.replace(os.path.join(args.sync_dir, "calib_%s.json.tmp" % args.name),
                   os.path.join(args.sync_dir, "calib_%s.json" % args.name))
        wait_until = time.time() + 120
        while True:
            files = [f for f in os.listdir(args.sync_dir) if f.startswith("calib_") and f.endswith(".json")]
            if len(files) >= args.peers or time.time() > wait_until:
                break
            time.sleep(0.5)
        peers = [json.load(open(os.path.join(args.sync_dir, f))) for f in sorted(files)]
    slowest = max(p["sec_per_step"] for p in peers)
    start = max(p["time"] for p in peers)
    total_steps = min(args.max_steps, step + int(0.96 * (args.deadline - start) / slowest))
    log("speeds %s -> step budget %d" % ({p["name"]: round(p["sec_per_step"], 3) for p in peers}, total_steps))


model.train()
t_start = time.time()
t_calib = None
stopped_by = "budget"
while total_steps is None or step < total_steps:
    if time.time() > args.deadline:
        stopped_by = "deadline"
        break
    if step == 5 or (step > 5 and t_calib is None):
        torch.cuda.synchronize(); t_calib = (time.time(), step)
    if total_steps is None and t_calib is not None and step == t_calib[1] + 20:
        torch.cuda.synchronize()
        agree_on_budget((time.time() - t_calib[0]) / 20)
    for g in opt.param_groups:
        g["lr"] = lr_at(step)
    x = batch()
    try:
        with torch.autocast("cuda", dtype=torch.bfloat16):
            out = model(input_ids=x, labels=x)
    except Exception as e:  # first step only: fall back from SDPA to the eager attention path
        if step > 0 or cfg._attn_implementation == "eager":
            raise
        log("sdpa failed (%r); switching to eager attention" % (e,))
        if hasattr(model, "set_attn_implementation"):
            model.set_attn_implementation("eager")
        cfg._attn_implementation = model.config._attn_implementation = "eager"
        with torch.autocast("cuda", dtype=torch.bfloat16):
            out = model(input_ids=x, labels=x)
    loss = out.loss
    aux = getattr(out, "aux_loss", None)
    ce = loss - cfg.router_aux_loss_coef * aux if aux is not None else loss
    opt.zero_grad(set_to_none=True)
    loss.backward()
    gnorm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    step += 1
    if step % 10 == 0 or step == 1:
        elapsed = trained_seconds + time.time() - t_start
        row = {"step": step, "tokens": step * args.batch * args.seq, "loss": round(ce.item(), 4),
               "aux": round(aux.item(), 4) if aux is not None else None, "lr": lr_at(step - 1),
               "grad_norm": round(gnorm.item(), 3), "seconds": round(elapsed, 1)}
        curve.append(row)
        if step % 50 == 0 or step == 1:
            log(json.dumps(row))
        if not math.isfinite(row["loss"]):
            stopped_by = "non-finite loss"
            break
    if step % 100 == 0:
        save_ckpt()
trained_seconds += time.time() - t_start
save_ckpt()
log("stopped by %s at step %d (%.0fs of training)" % (stopped_by, step, trained_seconds))
with open(os.path.join(args.out, "curve.csv"), "w") as f:
    f.write("step,tokens,loss,aux,lr,grad_norm,seconds\n")
    for r in curve:
        f.write("%d,%d,%.4f,%s,%.6g,%.3f,%.1f\n" % (r["step"], r["tokens"], r["loss"], r["aux"], r["lr"],
                                                    r["grad_norm"], r["seconds"]))


@torch.no_grad()
def evaluate(key, max_windows=48, bs=8):
    """Mean next-token loss over consecutive windows of the held-out stream, and by position in the window."""
    model.eval()
    s = streams[key]
    n = min(max_windows, (s.numel() - 1) // args.seq)
    if n == 0:
        return None
    nll_sum, ntok = 0.0, 0
    by_pos = torch.zeros(args.seq - 1, dtype=torch.float64, device=dev)
    for i in range(0, n, bs):
        k = min(bs, n - i)
        x = torch.stack([s[(i + j) * args.seq:(i + j + 1) * args.seq] for j in range(k)]).to(dev)
        with torch.autocast("cuda", dtype=torch.bfloat16):
            logits = model(input_ids=x).logits
        nll = F.cross_entropy(logits[:, :-1].float().reshape(-1, cfg.vocab_size), x[:, 1:].reshape(-1),
                              reduction="none").view(k, -1)
        nll_sum += nll.double().sum().item(); ntok += nll.numel()
        by_pos += nll.double().sum(0)
    by_pos /= n
    bytes_per_token = counts[key]["bytes"] / counts[key]["tokens"]
    edges = [0, 16, 64, 256, 1024, 2048, args.seq - 1]
    buckets = {"%d-%d" % (a, b): round(by_pos[a:b].mean().item(), 4) for a, b in zip(edges, edges[1:])}
    model.train()
    return {"windows": n, "tokens": ntok, "nll_per_token": nll_sum / ntok, "perplexity": math.exp(nll_sum / ntok),
            "bits_per_byte": nll_sum / ntok / math.log(2) / bytes_per_token, "nll_by_position": buckets}


evals = {k: evaluate(k) for k in ("heldout_logs", "heldout_prose")}
for k, v in evals.items():
    log("%s: %s" % (k, json.dumps(v)))
lin_state = 4 * 64 * 64 * sum(t == L for t in LAYERS)
win_state = 2 * 1024 * 2 * 64 * sum(t == S for t in LAYERS)
summary = {"name": args.name, "layers": LAYERS, "parameters": n_params, "steps": step, "total_steps": total_steps,
           "stopped_by": stopped_by, "tokens_seen": step * args.batch * args.seq, "batch": args.batch,
           "seq": args.seq, "lr": args.lr, "logs_fraction": args.logs_fraction, "trained_seconds": trained_seconds,
           "final_train_loss": curve[-1]["loss"] if curve else None, "eval": evals,
           "state_floats": {"lightning": lin_state, "softmax_window": win_state, "total": lin_state + win_state},
           "torch": torch.__version__, "gpu": torch.cuda.get_device_name()}
with open(os.path.join(args.out, "summary.json"), "w") as f:
    json.dump(summary, f, indent=1)
model.config.output_router_logits = False  # the balancing loss is for training only
model.to(torch.bfloat16).save_pretrained(os.path.join(args.out, "model"), max_shard_size="15MB")
log("saved %s" % os.listdir(os.path.join(args.out, "model")))

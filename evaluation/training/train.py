"""GPU-machine step 2: train one MiniMax model (transformers' MiniMaxForCausalLM) on the encoded corpus.

  python3 train.py --name hybrid --layers hybrid --data TOKENS_DIR --out RUN_DIR --deadline UNIX_TIME
                   [--sync-dir DIR --peers 3] [--probe-deadline UNIX_TIME] [--resume]

--layers: hybrid (7 lightning + 1 windowed softmax, the default model), linear (8 lightning), softmax (8 windowed
softmax). Several trainers may share one GPU: with --sync-dir they measure their speed after a few steps and
agree on one step budget (the slowest one's), so the variants see the same data in the same order for the same
number of steps. Training stops at that budget or at --deadline, whichever comes first, then evaluates held-out
perplexity, saves the model in BF16 (shards of at most 15 MB) and runs the recall probe (recall_probe.py) until
--probe-deadline. --resume continues from RUN_DIR/ckpt.pt (model, optimizer, data RNG, schedule, curve), saved
every 200 steps and at the end.

Rows of a batch: a random 4096-token window of the prose stream, of the log stream, or a row of the recall
episode pool (TOKENS_DIR/episodes.npy from recall_episodes.py: training log lines with planted key -> value
facts recalled at distances up to nearly the whole row), drawn with the fractions below. The curve records,
besides the loss, the argmax accuracy on the recalled values' tokens of the episode rows, by distance class.
The lightning attention and the experts run through fast_minimax.py's checked fast paths.
"""
import argparse, json, math, os, time
import numpy as np
import torch
import torch.nn.functional as F
from transformers import MiniMaxConfig, MiniMaxForCausalLM
import recall_probe
try:
    import fast_minimax
except Exception as e:  # a transformers whose MiniMax module differs: train with the library's code
    print("fast paths unavailable: %r" % (e,), flush=True)
    fast_minimax = None

ap = argparse.ArgumentParser()
ap.add_argument("--name", required=True)
ap.add_argument("--layers", choices=["hybrid", "linear", "softmax"], required=True)
ap.add_argument("--arch", choices=["minimax", "llama", "mixtral"], default="minimax",
                help="llama / mixtral: pre-norm controls of the same size, dense / with the same experts (diagnostics; "
                     "the engine cannot run them)")
ap.add_argument("--softmax-at", help="hybrid only: comma-separated indices of the softmax layers (default: the last)")
ap.add_argument("--no-window", action="store_true", help="softmax layers without the sliding window (diagnostics)")
ap.add_argument("--window", type=int, default=1024, help="the softmax layers' sliding window (tokens)")
ap.add_argument("--experts", type=int, default=4, help="experts per MoE layer (1: a dense MLP)")
ap.add_argument("--experts-per-token", type=int, default=2)
ap.add_argument("--expert-size", type=int, default=256, help="intermediate size of one expert")
ap.add_argument("--data", required=True)
ap.add_argument("--out", required=True)
ap.add_argument("--deadline", type=float, required=True, help="unix time at which training must stop")
ap.add_argument("--probe-deadline", type=float, help="unix time after which no probe distance is started")
ap.add_argument("--sync-dir")
ap.add_argument("--peers", type=int, default=1)
ap.add_argument("--resume", action="store_true")
ap.add_argument("--batch", type=int, default=16)
ap.add_argument("--seq", type=int, default=4096)
ap.add_argument("--lr", type=float, default=2e-3)
ap.add_argument("--warmup", type=int, default=100)
ap.add_argument("--logs-fraction", type=float, default=0.22, help="share of rows drawn from the log stream")
ap.add_argument("--episodes-fraction", type=float, default=0.16, help="share of rows from the recall episodes")
ap.add_argument("--repeat-fraction", type=float, default=0.0,
                help="share of rows that repeat spans of themselves (text, then copies of earlier spans of the row)")
ap.add_argument("--repeat-random", type=float, default=0.5,
                help="share of the repeating rows whose fresh tokens are random (the rest: logs and prose, half each)")
ap.add_argument("--residual-alpha", type=float, default=1.0,
                help="MiniMax's residual factor (alpha) of every attention and MLP block; MiniMax-Text-01 uses (2 x layers)^(1/4)")
ap.add_argument("--value-loss-weight", type=float, default=1.0,
                help="weight of the recalled values' tokens in the loss (1: the plain mean; not yet run on the GPU)")
ap.add_argument("--synth-fraction", type=float, default=0.0,
                help="share of rows from the procedural logs of made-up systems (TOKENS_DIR/train_synth.npy, synth_logs.py)")
ap.add_argument("--schedule", choices=["cosine", "wsd"], default="cosine",
                help="wsd: warm-up, constant rate, then a linear decay over the last --decay-fraction of this command's "
                     "steps; the weights before the decay are kept (ckpt_stable.pt) so that --resume continues from them")
ap.add_argument("--decay-fraction", type=float, default=0.15)
ap.add_argument("--init-weights", help="start from these weights (a saved model folder), with a fresh optimizer")
ap.add_argument("--stream-eval", help="folder of log files (evaluation only) fed in windows of --stream-window tokens: "
                                      "bits per byte per file, and by place in the window (does it learn as it reads?)")
ap.add_argument("--stream-window", type=int, default=8192)
ap.add_argument("--max-steps", type=int, default=100000)
ap.add_argument("--seed", type=int, default=1234)
ap.add_argument("--no-fast", action="store_true", help="use the library's forward passes only")
ap.add_argument("--copy-every", type=int, default=0, help="run the copy check every N steps (0: only at the end)")
ap.add_argument("--copy-length", type=int, default=512, help="tokens of one reading in the copy check")
ap.add_argument("--qk-no-decay", action="store_true", help="no weight decay on the softmax layers' query/key projections")
ap.add_argument("--diagnostic", action="store_true", help="no saved model and no recall probe (sweeps)")
args = ap.parse_args()
os.makedirs(args.out, exist_ok=True)
dev = torch.device("cuda")
torch.backends.cuda.matmul.allow_tf32 = True
torch.backends.cudnn.allow_tf32 = True


def log(msg):
    print("[%s %s] %s" % (args.name, time.strftime("%H:%M:%S"), msg), flush=True)


L, S = "linear_attention", "full_attention"
LAYERS = {"hybrid": [L] * 7 + [S], "linear": [L] * 8, "softmax": [S] * 8}[args.layers]
if args.softmax_at and args.layers == "hybrid":
    LAYERS = [S if i in {int(t) for t in args.softmax_at.split(",")} else L for i in range(8)]
cfg = MiniMaxConfig(
    vocab_size=8192, hidden_size=256, intermediate_size=args.expert_size, num_hidden_layers=8,
    num_attention_heads=4, num_key_value_heads=2, head_dim=64,
    num_local_experts=args.experts, num_experts_per_tok=args.experts_per_token, block_size=256, sliding_window=args.window,
    layer_types=LAYERS, tie_word_embeddings=True, max_position_embeddings=1 << 20,
    rope_parameters={"rope_type": "default", "rope_theta": 10000.0},
    bos_token_id=0, eos_token_id=0, pad_token_id=None,
    output_router_logits=True, router_aux_loss_coef=0.01,
    full_attn_alpha_factor=args.residual_alpha, linear_attn_alpha_factor=args.residual_alpha,
    mlp_alpha_factor=args.residual_alpha)
cfg._attn_implementation = "sdpa"
if args.no_window:
    cfg.sliding_window = None
try:  # the library's experts as a plain loop (the reference fast_minimax checks against)
    cfg._experts_implementation = "eager"
except Exception as e:
    print("no experts_implementation switch", e)
if args.arch == "llama":  # the control: pre-norm residual, dense MLP as wide as the two active experts
    from transformers import LlamaConfig, LlamaForCausalLM
    LAYERS = ["llama"] * 8
    cfg = LlamaConfig(vocab_size=8192, hidden_size=256, intermediate_size=512, num_hidden_layers=8,
                      num_attention_heads=4, num_key_value_heads=2, head_dim=64, tie_word_embeddings=True,
                      max_position_embeddings=1 << 20, rope_parameters={"rope_type": "default", "rope_theta": 10000.0},
                      bos_token_id=0, eos_token_id=0, pad_token_id=None)
    cfg._attn_implementation = "sdpa"
    cfg.router_aux_loss_coef = 0.0
if args.arch == "mixtral":  # the control with MiniMax's experts but a pre-norm residual
    from transformers import MixtralConfig, MixtralForCausalLM
    LAYERS = ["mixtral"] * 8
    cfg = MixtralConfig(vocab_size=8192, hidden_size=256, intermediate_size=args.expert_size, num_hidden_layers=8,
                        num_attention_heads=4, num_key_value_heads=2, head_dim=64, num_local_experts=args.experts,
                        num_experts_per_tok=args.experts_per_token, tie_word_embeddings=True,
                        max_position_embeddings=1 << 20, rope_parameters={"rope_type": "default", "rope_theta": 10000.0},
                        bos_token_id=0, eos_token_id=0, pad_token_id=None, output_router_logits=True,
                        router_aux_loss_coef=0.01)
    cfg._attn_implementation = "sdpa"
torch.manual_seed(args.seed)
model = {"llama": lambda: LlamaForCausalLM(cfg), "mixtral": lambda: MixtralForCausalLM(cfg),
         "minimax": lambda: MiniMaxForCausalLM(cfg)}[args.arch]().to(dev)
if hasattr(model, "set_experts_implementation") and args.arch == "minimax":
    model.set_experts_implementation("eager")
n_params = sum(p.numel() for p in model.parameters())
log("%s layers %s, %.2fM parameters" % (args.arch, args.layers, n_params / 1e6))
fast_report = ({"enabled": {}} if args.no_fast or fast_minimax is None or args.arch != "minimax"
               else fast_minimax.install(model, log))

streams = {k: torch.from_numpy(np.load(os.path.join(args.data, k + ".npy")).astype(np.int64))
           for k in ("train_logs", "train_prose", "heldout_logs", "heldout_prose")}
counts = json.load(open(os.path.join(args.data, "tokens.json")))
episodes = torch.from_numpy(np.load(os.path.join(args.data, "episodes.npy")).astype(np.int64))
episode_values = torch.from_numpy(np.load(os.path.join(args.data, "episodes_values.npy")))
if args.episodes_fraction > 0 and episodes.shape[1] != args.seq:
    raise SystemExit("episode rows are %d tokens, --seq is %d" % (episodes.shape[1], args.seq))
log("episode pool: %d rows" % episodes.shape[0])
if args.synth_fraction > 0:
    streams["train_synth"] = torch.from_numpy(np.load(os.path.join(args.data, "train_synth.npy")).astype(np.int64))
    log("synthetic logs: %d tokens" % streams["train_synth"].numel())
if args.init_weights:
    from safetensors.torch import load_file
    import glob as _glob
    sd = {}
    for f in sorted(_glob.glob(os.path.join(args.init_weights, "*.safetensors"))):
        sd.update(load_file(f))
    missing, unexpected = model.load_state_dict({k: v.float() for k, v in sd.items()}, strict=False)
    log("initial weights from %s (missing %s, unexpected %s)" % (args.init_weights, missing, unexpected))

decay, no_decay = [], []
for n, p in model.named_parameters():
    qk = args.qk_no_decay and ("self_attn.q_proj" in n or "self_attn.k_proj" in n)
    (no_decay if p.ndim < 2 or "norm" in n or qk else decay).append(p)
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                        lr=args.lr, betas=(0.9, 0.95), eps=1e-8, fused=True)
rng = np.random.default_rng(args.seed)
step, total_steps, curve, trained_seconds, skipped = 0, None, [], 0.0, 0
ckpt_path = os.path.join(args.out, "ckpt.pt")
stable_path = os.path.join(args.out, "ckpt_stable.pt")
budget_start = 0
if args.resume and args.schedule == "wsd" and os.path.exists(stable_path):
    # continue from the weights before the last decay, with a new budget from this command's deadline
    ck = torch.load(stable_path, map_location=dev, weights_only=False)
    model.load_state_dict(ck["model"]); opt.load_state_dict(ck["opt"])
    rng.bit_generator.state = ck["rng"]
    step, curve, trained_seconds = ck["step"], ck["curve"], ck["trained_seconds"]
    skipped = ck.get("skipped", 0)
    budget_start = step
    log("resumed from the stable weights at step %d" % step)
elif args.resume and os.path.exists(ckpt_path):
    ck = torch.load(ckpt_path, map_location=dev, weights_only=False)
    model.load_state_dict(ck["model"]); opt.load_state_dict(ck["opt"])
    rng.bit_generator.state = ck["rng"]
    step, total_steps, curve, trained_seconds = ck["step"], ck["total_steps"], ck["curve"], ck["trained_seconds"]
    skipped = ck.get("skipped", 0)
    log("resumed at step %d of %s" % (step, total_steps))


def save_ckpt(path=None):
    path = path or ckpt_path
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "rng": rng.bit_generator.state,
                "step": step, "total_steps": total_steps, "curve": curve,
                "trained_seconds": trained_seconds + time.time() - t_start,
                "skipped": skipped}, path + ".tmp")
    os.replace(path + ".tmp", path)


def decay_start():
    return budget_start + int((1 - args.decay_fraction) * (total_steps - budget_start)) if total_steps else None


def lr_at(s):
    if s < args.warmup:
        return args.lr * (s + 1) / args.warmup
    if args.schedule == "wsd":
        d = decay_start()
        if d is None or s < d:
            return args.lr
        return args.lr * max(0.02, 1 - (s - d) / max(1, total_steps - d))
    total = total_steps or args.max_steps
    frac = min(1.0, (s - args.warmup) / max(1, total - args.warmup))
    return args.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))


def distance_class(d):
    return 1 if d < 256 else (2 if d < 1024 else 3)


def repeat_row():
    """A row that copies itself: stretches of fresh tokens (random ones, or logs or prose read in order) alternate with copies
    of earlier spans of the same row, at log-uniform lengths (8-512 tokens) and distances (up to the whole
    row). Every copied token after a span's first is predictable only by looking back: the copying signal the
    plain corpus and the episodes give too rarely for a small model to learn it. Codes mark the copied tokens
    by distance class, as the episodes' recalled values are marked."""
    u = rng.random()
    if u < args.repeat_random:  # tokens drawn at random (by their corpus frequency): only copying predicts them
        src = streams["train_prose"][torch.from_numpy(rng.integers(0, streams["train_prose"].numel(), args.seq))]
        off = 0
    else:
        src = streams["train_logs"] if u < args.repeat_random + (1 - args.repeat_random) / 2 else streams["train_prose"]
        off = int(rng.integers(0, src.numel() - 2 * args.seq - 1))
    row = torch.empty(args.seq, dtype=torch.int64)
    code = torch.zeros(args.seq, dtype=torch.uint8)
    n = 0
    while n < args.seq:
        m = int(math.exp(rng.uniform(math.log(8), math.log(512))))
        m = min(m, args.seq - n)
        if n >= 64 and rng.random() < 0.5:
            d = int(math.exp(rng.uniform(0, math.log(n))))  # distance from the copy's start back to the source's
            start = max(0, n - d)
            m = min(m, n - start)
            row[n:n + m] = row[start:start + m]
            code[n + 1:n + m] = distance_class(n - start)
        else:
            row[n:n + m] = src[off:off + m]
            off += m
        n += m
    return row, code


def batch():
    """Token rows [batch, seq] and the recalled-value classes of episode and repeat rows (zeros elsewhere)."""
    rows, codes = [], []
    zeros = torch.zeros(args.seq, dtype=torch.uint8)
    for _ in range(args.batch):
        u = rng.random()
        if u < args.synth_fraction:  # a window of one made-up system's log (mostly; it may cross into the next)
            src = streams["train_synth"]
            off = int(rng.integers(0, src.numel() - args.seq - 1))
            rows.append(src[off:off + args.seq]); codes.append(zeros)
            continue
        u = (u - args.synth_fraction) / (1 - args.synth_fraction)
        if u < args.repeat_fraction:
            r, c = repeat_row()
            rows.append(r); codes.append(c)
            continue
        u = (u - args.repeat_fraction) / (1 - args.repeat_fraction) if args.repeat_fraction < 1 else 0.0
        if u < args.episodes_fraction:
            i = int(rng.integers(0, episodes.shape[0]))
            rows.append(episodes[i]); codes.append(episode_values[i])
            continue
        src = streams["train_logs"] if u < args.episodes_fraction + args.logs_fraction else streams["train_prose"]
        off = int(rng.integers(0, src.numel() - args.seq - 1))
        rows.append(src[off:off + args.seq]); codes.append(zeros)
    return torch.stack(rows).to(dev, non_blocking=True), torch.stack(codes).to(dev, non_blocking=True)


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
    if args.schedule == "wsd" and total_steps - budget_start < 10 * args.warmup:
        log("warning: a short budget for a wsd schedule")
    log("speeds %s -> step budget %d" % ({p["name"]: round(p["sec_per_step"], 3) for p in peers}, total_steps))


recall_hits = torch.zeros(2, 4, device=dev)  # [hits, tokens] by distance class 1..3, since the last log row


def forward_backward(x, codes, micro):
    """Loss over the batch in micro-batches of `micro` rows (gradients accumulated); the CE and aux means."""
    ce_sum, aux_sum = 0.0, 0.0
    for i in range(0, x.shape[0], micro):
        xm, cm = x[i:i + micro], codes[i:i + micro]
        k = xm.shape[0] / x.shape[0]
        if args.value_loss_weight == 1.0:
            with torch.autocast("cuda", dtype=torch.bfloat16):
                out = model(input_ids=xm, labels=xm, use_cache=False)
            aux = getattr(out, "aux_loss", None)
            (out.loss * k).backward()
            ce = out.loss - cfg.router_aux_loss_coef * aux if aux is not None else out.loss
        else:  # weighted mean over tokens: the recalled values count value_loss_weight times
            with torch.autocast("cuda", dtype=torch.bfloat16):
                out = model(input_ids=xm, use_cache=False)
            aux = getattr(out, "aux_loss", None)
            nll = F.cross_entropy(out.logits[:, :-1].float().reshape(-1, cfg.vocab_size), xm[:, 1:].reshape(-1),
                                  reduction="none")
            w = 1.0 + (args.value_loss_weight - 1.0) * (cm[:, 1:].reshape(-1) > 0).float()
            loss = (nll * w).sum() / w.sum()
            if aux is not None:
                loss = loss + cfg.router_aux_loss_coef * aux
            (loss * k).backward()
            ce = nll.mean()  # logged unweighted, comparable with the plain runs
        ce_sum = ce_sum + ce.detach() * k
        if aux is not None:
            aux_sum = aux_sum + aux.detach() * k
        with torch.no_grad():  # recall on the planted values (no host sync: counts stay on the GPU)
            hit = out.logits[:, :-1].argmax(-1) == xm[:, 1:]
            c = cm[:, 1:]
            for cls in (1, 2, 3):
                m = c == cls
                recall_hits[0, cls] += (hit & m).sum()
                recall_hits[1, cls] += m.sum()
        del out
    return ce_sum, aux_sum


@torch.no_grad()
def copy_check(passages=8, length=512, readings=4):
    """The PyTorch twin of `eval copy`: held-out log passages read several times in one row; mean next-token loss
    of each reading. A model that copies from its context predicts the second reading almost for free."""
    model.eval()
    s = streams["heldout_logs"]
    g = np.random.default_rng(4321)
    rows = []
    for _ in range(passages):
        off = int(g.integers(0, s.numel() - length - 1))
        rows.append(s[off:off + length].repeat(readings))
    x = torch.stack(rows).to(dev)
    with torch.autocast("cuda", dtype=torch.bfloat16):
        logits = model(input_ids=x, use_cache=False).logits
    nll = F.cross_entropy(logits[:, :-1].float().reshape(-1, cfg.vocab_size), x[:, 1:].reshape(-1),
                          reduction="none").view(passages, -1)
    model.train()
    # position p predicts token p + 1; reading r covers tokens [r * length, (r + 1) * length)
    means = [nll[:, max(0, r * length - 1):(r + 1) * length - 1].mean().item() for r in range(readings)]
    return {"passage_tokens": length, "passages": passages, "mean_nll_by_reading": [round(m, 4) for m in means],
            "gain": round(means[0] - means[-1], 4)}


model.train()
t_start = time.time()
t_calib = None
stopped_by = "budget"
micro = args.batch
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
    x, codes = batch()
    opt.zero_grad(set_to_none=True)
    while True:
        out_of_memory = False
        try:
            ce, aux = forward_backward(x, codes, micro)
        except torch.cuda.OutOfMemoryError:
            if micro == 1:
                raise
            out_of_memory = True
        if not out_of_memory:
            break
        # outside the handler, so that the failed pass's tensors are freed before trying again
        opt.zero_grad(set_to_none=True)
        torch.cuda.empty_cache()
        micro //= 2
        log("out of GPU memory at step %d: micro-batches of %d rows from now on" % (step, micro))
    gnorm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    if not torch.isfinite(gnorm):  # a bad batch: no update (the clip would spread the NaN into every weight)
        skipped += 1
        log("non-finite gradient at step %d: update skipped (%d so far)" % (step, skipped))
        opt.zero_grad(set_to_none=True)
        if skipped > 25:
            stopped_by = "non-finite gradients"
            break
    else:
        opt.step()
    step += 1
    if step % 10 == 0 or step == 1:
        elapsed = trained_seconds + time.time() - t_start
        hits = recall_hits.tolist()
        recall_hits.zero_()
        row = {"step": step, "tokens": step * args.batch * args.seq, "loss": round(float(ce), 4),
               "aux": round(float(aux), 4) if torch.is_tensor(aux) else None, "lr": lr_at(step - 1),
               "grad_norm": round(gnorm.item(), 3), "seconds": round(elapsed, 1),
               "recall": [round(hits[0][c] / hits[1][c], 4) if hits[1][c] else None for c in (1, 2, 3)]}
        curve.append(row)
        if step % 50 == 0 or step == 1:
            log(json.dumps(row))
        if not math.isfinite(row["loss"]):
            log("non-finite loss at step %d" % step)
    if args.copy_every and step % args.copy_every == 0:
        c = copy_check(length=args.copy_length)
        if curve and curve[-1]["step"] == step:
            curve[-1]["copy_by_reading"] = c["mean_nll_by_reading"]
        log("copy check at step %d: by reading %s, gain %.4f" % (step, c["mean_nll_by_reading"], c["gain"]))
    if step % 200 == 0 and not args.diagnostic:
        save_ckpt()
    if args.schedule == "wsd" and total_steps and step == decay_start() and not args.diagnostic:
        save_ckpt(stable_path)
        log("stable weights kept at step %d; decaying until step %d" % (step, total_steps))
save_ckpt()
trained_seconds += time.time() - t_start
log("stopped by %s at step %d (%.0fs of training)" % (stopped_by, step, trained_seconds))
with open(os.path.join(args.out, "curve.csv"), "w") as f:
    f.write("step,tokens,loss,aux,lr,grad_norm,seconds,recall_lt256,recall_256_1023,recall_ge1024\n")
    for r in curve:
        f.write("%d,%d,%.4f,%s,%.6g,%.3f,%.1f,%s\n" % (r["step"], r["tokens"], r["loss"], r["aux"], r["lr"],
                                                        r["grad_norm"], r["seconds"],
                                                        ",".join("" if v is None else "%.4f" % v for v in r["recall"])))


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
            logits = model(input_ids=x, use_cache=False).logits
        nll = F.cross_entropy(logits[:, :-1].float().reshape(-1, cfg.vocab_size), x[:, 1:].reshape(-1),
                              reduction="none").view(k, -1)
        nll_sum += nll.double().sum().item(); ntok += nll.numel()
        by_pos += nll.double().sum(0)
    by_pos /= n
    bytes_per_token = counts[key]["bytes"] / counts[key]["tokens"]
    edges = [e for e in (0, 16, 64, 256, 1024, 2048) if e < args.seq - 1] + [args.seq - 1]
    buckets = {"%d-%d" % (a, b): round(by_pos[a:b].mean().item(), 4) for a, b in zip(edges, edges[1:])}
    model.train()
    return {"windows": n, "tokens": ntok, "nll_per_token": nll_sum / ntok, "perplexity": math.exp(nll_sum / ntok),
            "bits_per_byte": nll_sum / ntok / math.log(2) / bytes_per_token, "nll_by_position": buckets}


# held-out perplexity with the library's own forward passes, as the previous model's figures were made
switches = fast_minimax.ENABLED if fast_minimax is not None else {}
chosen = dict(switches)
switches.update({k: False for k in switches})
evals = {k: evaluate(k) for k in ("heldout_logs", "heldout_prose")}
switches.update(chosen)
for k, v in evals.items():
    log("%s: %s" % (k, json.dumps(v)))


@torch.no_grad()
def stream_eval(folder, window):
    """Each log file in windows of `window` tokens (each window from a fresh state after <|endoftext|>): bits per
    byte, and mean surprisal by place in the window. A model that learns the file as it reads it pays less late in
    a window than early. An approximation of the engine's `eval stream`, which feeds the whole file as one stream."""
    from tokenizers import Tokenizer
    import glob as _glob
    tok = Tokenizer.from_file(os.path.join(args.data, "tokenizer.json"))
    model.eval()
    out = {}
    edges = [0, 256, 1024, 2048, 4096, window]
    for path in sorted(_glob.glob(os.path.join(folder, "*.log"))):
        text = open(path, "rb").read().decode("utf-8", errors="replace")
        ids = tok.encode(text, add_special_tokens=False).ids
        nbytes = len(open(path, "rb").read())
        wins = [[0] + ids[i:i + window - 1] for i in range(0, len(ids), window - 1)]
        total, by_place, n_place = 0.0, torch.zeros(window, dtype=torch.float64), torch.zeros(window)
        for w in wins:
            x = torch.tensor([w], device=dev)
            with torch.autocast("cuda", dtype=torch.bfloat16):
                logits = model(input_ids=x, use_cache=False).logits
            nll = F.cross_entropy(logits[0, :-1].float(), x[0, 1:], reduction="none").double().cpu()
            total += nll.sum().item()
            by_place[:nll.numel()] += nll; n_place[:nll.numel()] += 1
        bpb = total / math.log(2) / nbytes
        places = {"%d-%d" % (a, b): round((by_place[a:b].sum() / n_place[a:b].sum().clamp(min=1)).item(), 4)
                  for a, b in zip(edges, edges[1:]) if n_place[a:b].sum() > 0}
        out[os.path.basename(path)] = {"bytes": nbytes, "tokens": len(ids), "bits_per_byte": round(bpb, 4),
                                       "nll_by_place": places}
        log("stream %s: %.3f bits/byte, nll by place %s" % (os.path.basename(path), bpb, places))
    model.train()
    return out


lin_state = 4 * 64 * 64 * sum(t == L for t in LAYERS)
win_state = 2 * args.window * 2 * 64 * sum(t == S for t in LAYERS)
summary = {"name": args.name, "layers": LAYERS, "parameters": n_params, "steps": step, "total_steps": total_steps,
           "stopped_by": stopped_by, "skipped_updates": skipped, "tokens_seen": step * args.batch * args.seq,
           "batch": args.batch, "micro_batch": micro, "seq": args.seq, "lr": args.lr, "warmup": args.warmup,
           "logs_fraction": args.logs_fraction, "episodes_fraction": args.episodes_fraction,
           "repeat_fraction": args.repeat_fraction, "repeat_random": args.repeat_random,
           "synth_fraction": args.synth_fraction, "schedule": args.schedule, "window": args.window,
           "residual_alpha": args.residual_alpha,
           "value_loss_weight": args.value_loss_weight,
           "prose_fraction": (1 - args.synth_fraction) * (1 - args.repeat_fraction) * (1 - args.logs_fraction - args.episodes_fraction),
           "trained_seconds": trained_seconds,
           "final_train_loss": curve[-1]["loss"] if curve else None, "eval": evals, "fast_paths": fast_report,
           "state_floats": {"lightning": lin_state, "softmax_window": win_state, "total": lin_state + win_state},
           "torch": torch.__version__, "gpu": torch.cuda.get_device_name()}


def write_summary():
    with open(os.path.join(args.out, "summary.json.tmp"), "w") as f:
        json.dump(summary, f, indent=1)
    os.replace(os.path.join(args.out, "summary.json.tmp"), os.path.join(args.out, "summary.json"))


write_summary()
if args.stream_eval and os.path.isdir(args.stream_eval):
    try:
        summary["stream"] = stream_eval(args.stream_eval, args.stream_window)
        bpbs = [v["bits_per_byte"] for v in summary["stream"].values()]
        summary["stream_geomean_bpb"] = round(math.exp(sum(math.log(b) for b in bpbs) / len(bpbs)), 4)
        log("stream geometric mean %.4f bits/byte" % summary["stream_geomean_bpb"])
    except Exception as e:
        summary["stream"] = {"error": repr(e)[:500]}
        log("stream eval failed: %r" % (e,))
    write_summary()


try:
    summary["copy"] = copy_check(length=args.copy_length)
    log("copy check: %s" % json.dumps(summary["copy"]))
except Exception as e:  # a diagnostic: it must not cost the saved model
    summary["copy"] = {"error": repr(e)[:500]}
    log("copy check failed: %r" % (e,))
write_summary()
if args.diagnostic:
    log("done (diagnostic: no saved model, no probe)")
    raise SystemExit(0)
model.config.output_router_logits = False  # the balancing loss is for training only
model.to(torch.bfloat16).save_pretrained(os.path.join(args.out, "model"), max_shard_size="15MB")
log("saved %s" % os.listdir(os.path.join(args.out, "model")))

probe_path = os.path.join(args.data, "recall_probe.npz")
if os.path.exists(probe_path):
    del opt
    torch.cuda.empty_cache()
    model.float()  # float32 weights holding the saved BF16 values
    recall_probe.exact_decays(model)
    try:
        summary["recall"] = recall_probe.run(model, probe_path, args.probe_deadline, log=log)
    except Exception as e:  # the model is saved; a failed probe must not lose it
        summary["recall"] = {"error": repr(e)[:500]}
        log("recall probe failed: %r" % (e,))
    write_summary()
log("done")

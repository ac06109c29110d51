"""Draws the training curves (loss against tokens seen) of the trained variants, their held-out loss by position
in a 4096-token window, and their recall-probe accuracy against distance, into one small PNG. Needs matplotlib
(the GPU machine has it).

  python3 plot_curves.py RESULTS_DIR OUT.png     (RESULTS_DIR/<variant>/{curve.csv,summary.json})
"""
import csv, json, os, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

root, out = sys.argv[1], sys.argv[2]
fig, (a, b, c) = plt.subplots(1, 3, figsize=(13, 3.6), dpi=90)
KNOWN = {"hybrid": "hybrid 7 lightning + 1 softmax (default)", "linear": "8 lightning", "softmax": "8 windowed softmax"}
VARIANTS = sorted(d for d in os.listdir(root) if os.path.exists(os.path.join(root, d, "curve.csv")))
for v, label in ((v, KNOWN.get(v, v)) for v in VARIANTS):
    p = os.path.join(root, v, "curve.csv")
    if not os.path.exists(p):
        continue
    rows = list(csv.DictReader(open(p)))
    a.plot([int(r["tokens"]) / 1e6 for r in rows], [float(r["loss"]) for r in rows], label=label, lw=1)
    s = json.load(open(os.path.join(root, v, "summary.json")))
    for key, style in (("heldout_logs", "-"), ("heldout_prose", "--")):
        e = (s.get("eval") or {}).get(key)
        if e:
            buckets = e["nll_by_position"]
            b.plot(range(len(buckets)), list(buckets.values()), style, marker="o", ms=3,
                   label="%s, %s" % (v, key.split("_")[1]))
            b.set_xticks(range(len(buckets)), list(buckets.keys()), rotation=30, fontsize=7)
    rec = ((s.get("recall") or {}).get("by_distance") or {})
    if rec:
        ds = sorted(int(d) for d in rec)
        c.plot(ds, [rec[str(d)]["accuracy"] for d in ds], marker="o", ms=3, label=label)
        c.plot(ds, [rec[str(d)]["control_accuracy"] or 0 for d in ds], ":", lw=1, color=c.lines[-1].get_color())
a.set_xlabel("training tokens (millions)"); a.set_ylabel("train loss (nats/token)"); a.set_ylim(bottom=0)
a.legend(fontsize=7); a.grid(alpha=0.3)
b.set_xlabel("position in window (tokens)"); b.set_ylabel("held-out loss (nats/token)")
b.legend(fontsize=6); b.grid(alpha=0.3)
c.set_xscale("log", base=2); c.set_ylim(-0.02, 1.02); c.axvline(1024, color="grey", ls="--", lw=0.8)
c.set_xlabel("distance fact -> question (tokens); dashed: softmax window"); c.set_ylabel("greedy recall accuracy")
c.set_title("recall probe (dotted: unseen-id control)", fontsize=8)
if c.lines:
    c.legend(fontsize=6)
c.grid(alpha=0.3)
fig.tight_layout()
fig.savefig(out)
print("wrote", out, os.path.getsize(out), "bytes")

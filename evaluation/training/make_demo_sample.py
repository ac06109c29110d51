"""Turns make_logs.sh's held-out demo run into the demo's sample: the log (gzip) and a fault table giving, for
each injected fault, its time and the lines it produced (from the fault's moment until the log goes quiet again:
the first line at or after the fault up to the last line within WINDOW seconds that is not an ordinary
connection/statement line).

  python3 make_demo_sample.py DEMO_DIR SAMPLES_DIR [WINDOW_SECONDS=4]
Writes SAMPLES_DIR/postgresql-demo.log.gz and SAMPLES_DIR/postgresql-demo.faults.tsv
(columns: fault, time, first_line, last_line; lines numbered from 1).
"""
import csv, gzip, os, re, sys
from datetime import datetime, timedelta

demo, out = sys.argv[1], sys.argv[2]
window = float(sys.argv[3]) if len(sys.argv) > 3 else 4.0
os.makedirs(out, exist_ok=True)
lines = open(os.path.join(demo, "postgresql-demo.log"), encoding="utf-8", errors="replace").read().split("\n")
if lines and lines[-1] == "":
    lines.pop()
STAMP = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)(?:\.\d+)? \w+ ")
ORDINARY = re.compile(r"connection (received|authorized|authenticated)|disconnection:|statement: |checkpoint (starting|complete)"
                      r"|duration: |automatic (vacuum|analyze)|^\t")  # a tab starts the detail lines of autovacuum


def stamp(i):  # continuation lines (DETAIL on its own line, tabs) take the time of the line before
    while i >= 0:
        m = STAMP.match(lines[i])
        if m:
            return datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S")
        i -= 1
    return None


times = [stamp(i) for i in range(len(lines))]
rows = []
with open(os.path.join(demo, "faults.tsv")) as f:
    for r in csv.DictReader(f, delimiter="\t"):
        t = datetime.strptime(r["time"], "%Y-%m-%d %H:%M:%S")
        first = next((i for i, s in enumerate(times) if s and s >= t), None)
        if first is None:
            sys.exit("fault at %s: no log line at or after it" % r["time"])
        end = t + timedelta(seconds=window)
        in_window = [i for i in range(first, len(lines)) if times[i] and times[i] <= end]
        unusual = [i for i in in_window if not ORDINARY.search(lines[i])]
        last = unusual[-1] if unusual else first
        first = unusual[0] if unusual else first
        rows.append((r["fault"], r["time"], first + 1, last + 1))
with gzip.open(os.path.join(out, "postgresql-demo.log.gz"), "wt", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")
with open(os.path.join(out, "postgresql-demo.faults.tsv"), "w") as f:
    f.write("fault\ttime\tfirst_line\tlast_line\n")
    for r in rows:
        f.write("%s\t%s\t%d\t%d\n" % r)
print("%d lines, %d faults: %s" % (len(lines), len(rows), rows))

"""Procedural log streams from made-up systems: the rows that teach a model to learn a log format as it reads it.

  python3 synth_logs.py TOKENS_DIR MEGABYTES SEED      (after prepare_tokens.py: reads TOKENS_DIR/tokenizer.json and
                                                        the prose words of the corpus pack given by --words)
Writes TOKENS_DIR/train_synth.npy (uint16 token stream, documents joined by <|endoftext|>) and TOKENS_DIR/synth.json.

Each document is the log of one system that never existed: its own timestamp format and clock, header layout
(host, process and pid, level spelling, component, thread), a vocabulary of 3 to 150 message templates with
Zipf-distributed frequencies and habitual successions (a request's lines follow one another), variable fields of
many kinds (counters, ids that are created and mentioned again later, addresses, paths, sizes, durations, enums,
key=value pairs, quoted words, JSON), bursts and quiet spells, sometimes multi-line stack traces or JSON lines.
Nothing about one system predicts another's templates, so a model can only predict a document's later lines by
learning its earlier ones in context: which template comes next, which id recurs, that the clock advances. A real
log repeats the same way, which is what the compression of unseen systems rewards. Template words come from the
corpus's prose, so no real system's templates are copied; no Loghub data is read.
Standard library, numpy and HF tokenizers; documents are made by worker processes, each with its own seed.
"""
import gzip, json, math, os, random, re, sys, time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
import numpy as np

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
DAYS = "Mon Tue Wed Thu Fri Sat Sun".split()
WORDS = []  # set in each worker


def load_words(pack, limit=30000):
    """The corpus prose's commonest lowercase words (3-14 letters): template words and names."""
    c = Counter()
    with gzip.open(os.path.join(pack, "train.jsonl.gz"), "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            d = json.loads(line)
            if d["kind"] != "prose":
                continue
            c.update(w for w in re.findall(r"[a-z]{3,14}", d["text"][:20000]))
            if i > 4000 and len(c) > 4 * limit:
                break
    return [w for w, _ in c.most_common(limit)]


def zipf_weights(n, s):
    return [1.0 / (i + 1) ** s for i in range(n)]


class Clock:
    """A timestamp style and a clock that advances in bursts and quiet spells."""
    STYLES = ["iso_t", "iso_space", "iso_comma", "syslog", "apache", "epoch", "epoch_ms", "compact", "slash",
              "time_only", "bracket_ctime", "hadoop_short", "none"]

    def __init__(self, r):
        self.r = r
        self.style = r.choice(self.STYLES)
        self.t = r.uniform(946684800, 1893456000)  # 2000 .. 2030
        self.mean_gap = math.exp(r.uniform(math.log(0.002), math.log(30)))
        self.frac = r.choice([0, 3, 3, 3, 6])
        self.tz = r.choice(["", "", "Z", "+0000", "+01:00", "-0700", " UTC"])

    def tick(self):
        r = self.r
        g = r.expovariate(1 / self.mean_gap)
        if r.random() < 0.05:
            g *= r.uniform(20, 500)  # a quiet spell
        elif r.random() < 0.3:
            g *= 0.01  # same burst
        self.t += g

    def stamp(self):
        t = time.gmtime(self.t)
        sub = self.t - math.floor(self.t)
        fr = ("%0" + str(self.frac) + "d") % int(sub * 10 ** self.frac) if self.frac else ""
        s = self.style
        if s == "iso_t":
            return time.strftime("%Y-%m-%dT%H:%M:%S", t) + ("." + fr if fr else "") + self.tz.strip()
        if s == "iso_space":
            return time.strftime("%Y-%m-%d %H:%M:%S", t) + ("." + fr if fr else "")
        if s == "iso_comma":
            return time.strftime("%Y-%m-%d %H:%M:%S", t) + "," + (fr or "000")[:3].ljust(3, "0")
        if s == "syslog":
            return "%s %2d %s" % (MONTHS[t.tm_mon - 1], t.tm_mday, time.strftime("%H:%M:%S", t))
        if s == "apache":
            return time.strftime("%d/", t) + MONTHS[t.tm_mon - 1] + time.strftime("/%Y:%H:%M:%S", t) + " +0000"
        if s == "epoch":
            return "%d" % self.t
        if s == "epoch_ms":
            return "%d" % (self.t * 1000)
        if s == "compact":
            return time.strftime("%y%m%d %H%M%S", t)
        if s == "slash":
            return time.strftime("%Y/%m/%d %H:%M:%S", t)
        if s == "time_only":
            return time.strftime("%H:%M:%S", t) + ("." + fr if fr else "")
        if s == "bracket_ctime":
            return "%s %s %2d %s %d" % (DAYS[t.tm_wday], MONTHS[t.tm_mon - 1], t.tm_mday, time.strftime("%H:%M:%S", t),
                                        t.tm_year)
        if s == "hadoop_short":
            return time.strftime("%y/%m/%d %H:%M:%S", t)
        return ""


def style_word(r, w, style):
    if style == "lower":
        return w
    if style == "cap":
        return w.capitalize()
    if style == "upper":
        return w.upper()
    return w


def ident(r, style=None):
    """An identifier made of corpus words: camelCase, snake_case, kebab-case, dotted or plain."""
    n = r.choice([1, 1, 2, 2, 3])
    ws = [r.choice(WORDS) for _ in range(n)]
    style = style or r.choice(["camel", "snake", "kebab", "plain", "pascal"])
    if style == "camel":
        return ws[0] + "".join(w.capitalize() for w in ws[1:])
    if style == "pascal":
        return "".join(w.capitalize() for w in ws)
    if style == "snake":
        return "_".join(ws)
    if style == "kebab":
        return "-".join(ws)
    return ws[0]


class System:
    def __init__(self, r):
        self.r = r
        self.clock = Clock(r)
        self.word_style = r.choice(["lower"] * 6 + ["cap"] * 3 + ["upper"])
        self.hosts = [self.hostname() for _ in range(r.choice([1, 1, 1, 2, 3, 4, 8, 16]))]
        self.procs = [ident(r, r.choice(["plain", "kebab", "snake"]))[:16] for _ in range(r.randint(1, 6))]
        self.pids = [r.randint(2, 65535) for _ in self.procs]
        levels = r.choice([["INFO", "WARN", "ERROR", "DEBUG"], ["INFO", "WARNING", "ERROR", "DEBUG"],
                           ["I", "W", "E", "D"], ["info", "warn", "error", "debug"], ["<6>", "<4>", "<3>", "<7>"],
                           ["NOTICE", "WARNING", "ERR", "DEBUG"], ["Info", "Warning", "Error", "Verbose"],
                           ["INFO ", "WARN ", "ERROR", "DEBUG"], ["LOG", "WARNING", "FATAL", "DEBUG1"]])
        self.levels = levels
        pkg = [r.choice(WORDS) for _ in range(r.randint(1, 3))]
        cstyle = r.choice(["java", "java", "python", "short", "path", "upper"])
        self.components = [self.component(cstyle, pkg) for _ in range(r.randint(1, 30))]
        self.threads = self.make_threads()
        self.layout = self.make_layout()
        self.kv_sep = r.choice(["=", "=", ": ", ":"])
        self.json = r.random() < 0.08
        n = int(math.exp(r.uniform(math.log(3), math.log(150))))
        self.counters = {}
        self.id_kinds = [self.make_id_kind() for _ in range(r.randint(1, 4))]
        self.live = [[] for _ in self.id_kinds]  # ids created and not yet forgotten, per kind
        self.enums = [[style_word(r, r.choice(WORDS), r.choice(["upper", "lower", "cap"])) for _ in range(r.randint(2, 6))]
                      for _ in range(r.randint(1, 4))]
        self.templates = [self.template() for _ in range(n)]
        r.shuffle(self.templates)
        self.weights = zipf_weights(n, r.uniform(0.6, 1.6))
        self.next = [[r.randrange(n) for _ in range(r.randint(1, 3))] for _ in range(n)]
        self.follow = r.uniform(0.2, 0.85)

    # -- names
    def hostname(self):
        r = self.r
        k = r.random()
        if k < 0.3:
            return "%s%d" % (r.choice(WORDS)[:8], r.randint(1, 99))
        if k < 0.5:
            return "%s-%s-%02d" % (r.choice(WORDS)[:6], r.choice(["node", "srv", "db", "web", "worker", "app"]), r.randint(1, 40))
        if k < 0.7:
            return "ip-%d-%d-%d-%d" % (10, r.randint(0, 255), r.randint(0, 255), r.randint(1, 254))
        if k < 0.85:
            return "%s.%s.%s" % (r.choice(WORDS)[:8], r.choice(WORDS)[:8], r.choice(["com", "net", "local", "internal"]))
        return "R%02d-M%d-N%d" % (r.randint(0, 80), r.randint(0, 1), r.randint(0, 15))

    def component(self, style, pkg):
        r = self.r
        if style == "java":
            return ".".join(["org", *pkg, r.choice(WORDS)]) + "." + ident(r, "pascal")
        if style == "python":
            return ".".join([*pkg, ident(r, "snake")])
        if style == "path":
            return "%s.%s:%d" % (ident(r, "snake"), r.choice(["c", "cc", "go", "py", "rs"]), r.randint(10, 2000))
        if style == "upper":
            return ident(r, "snake").upper()[:14]
        return ident(r, r.choice(["plain", "pascal", "kebab"]))

    def make_threads(self):
        r = self.r
        k = r.random()
        if k < 0.4:
            return None
        if k < 0.6:
            base = ident(r, "kebab")
            return ["%s-%d" % (base, i) for i in range(r.randint(1, 12))]
        if k < 0.8:
            return ["pool-%d-thread-%d" % (r.randint(1, 9), i) for i in range(1, r.randint(2, 20))]
        return [r.choice(["main", "IPC Server handler %d on %d" % (r.randint(0, 9), r.randint(8000, 60000)),
                          "Thread-%d" % r.randint(0, 200), ident(r, "pascal")]) for _ in range(r.randint(1, 6))]

    def make_layout(self):
        """The header's fields in order, each with its brackets."""
        r = self.r
        fields = []
        if self.clock.style != "none":
            fields.append(("ts", r.choice(["", "", "[]"])))
        if r.random() < 0.5:
            fields.append(("host", ""))
        if r.random() < 0.5:
            fields.append(("proc", r.choice(["[pid]", "pid", "name"])))
        lvl = ("level", r.choice(["", "", "[]", "<>"]))
        if r.random() < 0.8:
            fields.insert(r.randint(1 if fields else 0, len(fields)), lvl)
        if self.threads:
            fields.append(("thread", r.choice(["[]", "()", ""])))
        if r.random() < 0.75:
            fields.append(("component", r.choice(["", "", "[]", ":"])))
        self.sep = r.choice([" ", " ", " ", " | ", "\t", " - "])
        self.msg_sep = r.choice([": ", " - ", " ", " ", ": "])
        return fields

    def make_id_kind(self):
        r = self.r
        k = r.randrange(9)
        prefix = r.choice(WORDS)[:r.randint(3, 6)]
        if k == 0:
            return ("blk", "blk_" + ("-" if r.random() < 0.5 else ""), 19)
        if k == 1:
            return ("pre_num", prefix + "_", r.choice([4, 6, 10, 13]))
        if k == 2:
            return ("hex", "", r.choice([8, 12, 16, 32, 40]))
        if k == 3:
            return ("uuid", "", 0)
        if k == 4:
            return ("pre_hex", prefix + "-", r.choice([6, 8, 12]))
        if k == 5:
            return ("job", prefix + "_%d_" % r.randint(10 ** 12, 10 ** 13 - 1), 4)
        if k == 6:
            return ("ip", "", 0)
        if k == 7:
            return ("name", "", 0)
        return ("num", "", r.choice([3, 5, 7]))

    def new_id(self, kind):
        r = self.r
        t, prefix, n = kind
        if t in ("blk", "pre_num", "num", "job"):
            return prefix + str(r.randint(10 ** (n - 1), 10 ** n - 1))
        if t in ("hex", "pre_hex"):
            return prefix + "".join(r.choice("0123456789abcdef") for _ in range(n))
        if t == "uuid":
            h = "".join(r.choice("0123456789abcdef") for _ in range(32))
            return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])
        if t == "ip":
            return "%d.%d.%d.%d" % (r.choice([10, 172, 192, r.randint(1, 223)]), r.randint(0, 255), r.randint(0, 255), r.randint(1, 254))
        return ident(r, r.choice(["plain", "snake"])) + (str(r.randint(1, 99)) if r.random() < 0.3 else "")

    def entity(self, i):
        """An id of kind i: usually one already live (ids recur), sometimes a new one."""
        r = self.r
        live = self.live[i]
        if live and r.random() < 0.75:
            j = min(len(live) - 1, int(r.expovariate(0.3)))  # recent ids more likely
            return live[-1 - j]
        v = self.new_id(self.id_kinds[i])
        live.append(v)
        if len(live) > 64:
            del live[0]
        return v

    # -- templates
    def slot(self):
        """A field generator: a function of the system returning the text of one value."""
        r = self.r
        k = r.random()
        if k < 0.22:
            i = r.randrange(len(self.id_kinds))
            return lambda s: s.entity(i)
        if k < 0.36:
            lo = r.choice([0, 0, 1, 100, 1000])
            hi = lo + int(math.exp(r.uniform(math.log(5), math.log(10 ** 7))))
            unit = r.choice(["", "", "", " ms", "ms", " bytes", "B", " KB", "s", "%", " MB", " records", " us"])
            return lambda s: "%d%s" % (int(math.exp(s.r.uniform(0, math.log(hi - lo + 1)))) + lo - 1, unit)
        if k < 0.43:
            d = r.choice([1, 2, 3, 4, 6])
            scale = math.exp(r.uniform(0, math.log(1e5)))
            return lambda s: ("%." + str(d) + "f") % (s.r.random() * scale)
        if k < 0.50:
            key = ("c", len(self.counters))
            self.counters[key] = r.randint(0, 10 ** r.randint(1, 7))
            step = r.choice([1, 1, 1, 2, 10])

            def counter(s, key=key, step=step):
                s.counters[key] += step
                return str(s.counters[key])
            return counter
        if k < 0.57:
            e = r.randrange(len(self.enums))
            return lambda s: s.r.choice(s.enums[e])
        if k < 0.63:
            return lambda s: "%s:%d" % (s.new_id(("ip", "", 0)), s.r.choice([80, 443, 8080, 9092, 50010, 5432, s.r.randint(1024, 65535)]))
        if k < 0.70:
            root = "/" + "/".join(r.choice(WORDS) for _ in range(r.randint(1, 3)))
            ext = r.choice(["", ".log", ".conf", ".dat", ".json", ".tmp", ".jar", ".so"])
            return lambda s: root + "/" + ident(s.r, "snake") + ext
        if k < 0.75:
            return lambda s: "%.*f%s" % (s.r.choice([0, 1, 3]), s.r.expovariate(1 / 2.0), s.r.choice(["s", "ms"]))
        if k < 0.80:
            return lambda s: str(s.r.choice([200, 200, 200, 201, 204, 301, 304, 400, 401, 403, 404, 500, 502, 503]))
        if k < 0.86:
            return lambda s: s.r.choice(s.hosts)
        if k < 0.92:
            n = r.randint(1, 3)
            return lambda s: '"' + " ".join(s.r.choice(WORDS) for _ in range(n)) + '"'
        return lambda s: s.r.choice(WORDS)

    def template(self):
        r = self.r
        parts = []
        n_words = r.randint(1, 9)
        n_slots = r.choice([0, 1, 1, 2, 2, 3, 4, 5])
        kv = r.random() < 0.35
        level = r.choices(range(4), weights=[0.75, 0.12, 0.06, 0.07])[0]
        ws = [style_word(r, r.choice(WORDS), self.word_style if i == 0 else "lower") for i in range(n_words)]
        for i, w in enumerate(ws):
            parts.append(w)
            if r.random() < 0.1:
                parts.append(r.choice([":", ",", " ->", ".", ";"]))
        items = []
        for _ in range(n_slots):
            sl = self.slot()
            if kv:
                items.append((ident(r, r.choice(["snake", "camel", "plain"])), sl))
            else:
                items.append((None, sl))
        # slots go between or after the words
        tpl = []
        for p in parts:
            tpl.append(("w", p))
            if items and r.random() < 0.3:
                tpl.append(("s", items.pop(0)))
        for it in items:
            tpl.append(("s", it))
        wrap = r.choice(["", "", "", "[]", "()", "''"])
        trace = level == 2 and r.random() < 0.3
        return {"parts": tpl, "level": level, "wrap": wrap, "trace": trace,
                "exc": ident(r, "pascal") + r.choice(["Exception", "Error", "Exception", "Timeout"])}

    # -- rendering
    def header(self, lvl, comp, thread, host, pi):
        out = []
        for f, br in self.layout:
            if f == "ts":
                v = self.clock.stamp()
            elif f == "host":
                v = host
            elif f == "proc":
                v = ("%s[%d]" % (self.procs[pi], self.pids[pi]) if br == "[pid]" else
                     str(self.pids[pi]) if br == "pid" else self.procs[pi])
                br = ""
            elif f == "level":
                v = self.levels[lvl]
            elif f == "thread":
                v = thread
            else:
                v = comp
            if br == "[]":
                v = "[" + v + "]"
            elif br == "()":
                v = "(" + v + ")"
            elif br == "<>":
                v = "<" + v + ">"
            elif br == ":":
                v = v + ":"
            out.append(v)
        return self.sep.join(out)

    def render(self, t):
        r = self.r
        words = []
        fields = {}
        for kind, p in t["parts"]:
            if kind == "w":
                words.append(p)
            else:
                key, sl = p
                v = sl(self)
                if key:
                    fields[key] = v
                    words.append(key + self.kv_sep + v)
                else:
                    words.append(v)
        msg = " ".join(words).replace(" :", ":").replace(" ,", ",").replace(" .", ".").replace(" ;", ";")
        if t["wrap"] == "[]":
            msg = "[" + msg + "]"
        elif t["wrap"] == "()":
            msg = "(" + msg + ")"
        return msg, fields

    def line(self, ti):
        r = self.r
        t = self.templates[ti]
        self.clock.tick()
        ci = (ti * 7 + (r.random() < 0.2) * r.randrange(len(self.components))) % len(self.components)
        comp = self.components[ci]
        thread = r.choice(self.threads) if self.threads else ""
        host = r.choice(self.hosts) if r.random() < 0.3 else self.hosts[ti % len(self.hosts)]
        pi = ti % len(self.procs)
        msg, fields = self.render(t)
        if self.json:
            d = {"time": self.clock.stamp() or "%.3f" % self.clock.t, "level": self.levels[t["level"]].strip().lower(),
                 "logger": comp, "msg": msg}
            d.update(fields)
            text = json.dumps(d, separators=(",", ":") if r.random() < 0.5 else (", ", ": "))
        else:
            h = self.header(t["level"], comp, thread, host, pi)
            text = h + (self.msg_sep if h else "") + msg
        if t["trace"] and r.random() < 0.5:
            text += "\n" + self.trace(t)
        return text

    def trace(self, t):
        r = self.r
        lines = ["%s.%s: %s" % (self.components[0].rsplit(".", 1)[0], t["exc"], " ".join(r.choice(WORDS) for _ in range(r.randint(2, 6))))]
        for _ in range(r.randint(2, 12)):
            c = r.choice(self.components)
            m = ident(r, "camel")
            lines.append("\tat %s.%s(%s.java:%d)" % (c, m, c.rsplit(".", 1)[-1], r.randint(20, 900)))
        return "\n".join(lines)

    def document(self, target_bytes):
        r = self.r
        out, size, ti = [], 0, None
        while size < target_bytes:
            if ti is not None and r.random() < self.follow:
                ti = r.choice(self.next[ti])
            else:
                ti = r.choices(range(len(self.templates)), weights=self.weights)[0]
            s = self.line(ti)
            out.append(s)
            size += len(s) + 1
        return "\n".join(out) + "\n"


def make_documents(args):
    seed, n, words = args
    global WORDS
    WORDS = words
    r = random.Random(seed)
    docs = []
    for _ in range(n):
        s = System(r)
        docs.append(s.document(int(math.exp(r.uniform(math.log(8000), math.log(120000))))))
    return docs


def main():
    out_dir, megabytes, seed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    pack = sys.argv[4] if len(sys.argv) > 4 else "evaluation/training/corpus/pack"
    from tokenizers import Tokenizer
    t0 = time.time()
    words = load_words(pack)
    tok = Tokenizer.from_file(os.path.join(out_dir, "tokenizer.json"))
    per_job = 40
    jobs = max(1, int(megabytes * 1e6 / (45000 * per_job)))
    with ProcessPoolExecutor(min(16, os.cpu_count() or 1)) as ex:
        batches = list(ex.map(make_documents, [(seed * 100003 + j, per_job, words) for j in range(jobs)]))
    docs = [d for b in batches for d in b]
    nbytes = sum(len(d.encode()) for d in docs)
    encode = getattr(tok, "encode_batch_fast", tok.encode_batch)
    parts = []
    for i in range(0, len(docs), 256):
        for enc in encode(docs[i:i + 256], add_special_tokens=False):
            parts.append(np.asarray([0] + enc.ids, dtype=np.uint16))
    arr = np.concatenate(parts)
    np.save(os.path.join(out_dir, "train_synth.npy"), arr)
    info = {"documents": len(docs), "bytes": nbytes, "tokens": int(arr.size), "seed": seed, "words": len(words),
            "seconds": round(time.time() - t0, 1)}
    json.dump(info, open(os.path.join(out_dir, "synth.json"), "w"), indent=1)
    print("synthetic logs: %s" % json.dumps(info), flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--sample":  # print one system's log (words from a built-in list)
        WORDS = ("alpha beta gamma delta request reply server client session block cache store write read flush "
                 "commit open close start stop ready failed retry queue worker task job node lease token").split()
        print(System(random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)).document(3000))
    else:
        main()

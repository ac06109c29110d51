"""Synthetic key -> value log episodes that teach recall over distance, and the planted facts of the recall probe.

  python3 recall_episodes.py TOKENS_DIR ROWS SEQ SEED
      (after prepare_tokens.py: reads TOKENS_DIR/{tokenizer.json,train_logs.npy,heldout_logs.npy})

Writes, into TOKENS_DIR:
- episodes.npy (uint16 [ROWS, SEQ]): training rows of real training log lines (the filler) with planted facts.
  A fact is a line that introduces an id with a value (a user, an IP address, a path, an error code); after a
  random distance (log-uniform, from a few tokens to nearly the whole row, so many beyond the 1024-token
  softmax window) a later line mentions the id again, followed by the same value. Ids and values are random
  strings made on the fly (syllable names, hex and numeric ids, addresses), so facts never repeat, and the
  names are never the probe's. Seven line formats (application key=value logs, JSON, PostgreSQL, sshd, nginx,
  a job scheduler, a cache), of which the eval's (request_id=... user=...) is one case.
- episodes_values.npy (uint8 [ROWS, SEQ]): 0, or for the tokens of a recalled value its distance class
  (1: under 256 tokens since the last mention, 2: 256-1023, 3: 1024 or more), to watch recall while training.
- recall_probe.npz: the probe (recall_probe.py): for each distance D, rows of held-out log lines (the model
  never trained on them) with a fact in the eval's form ("session opened request_id=req-XXXXXXXX user=NAME"),
  exactly D tokens of held-out log lines, then the question "... invoice issued request_id=req-XXXXXXXX user"
  whose answer is "=NAME". Names come from a list of real first and last names that training never uses.
  Control rows ask, in the same place, for an id that never occurred.
Standard library, numpy and HF tokenizers; the pool is built by worker processes, each with its own seed.
"""
import heapq, json, math, os, random, sys, time
from concurrent.futures import ProcessPoolExecutor
import numpy as np

ONSETS = "b c d f g h j k l m n p r s t v w z br dr fl gr kl pr sk sl st tr ch sh th".split()
NUCLEI = "a e i o u a e i o ai ei ou".split()
CODAS = ["", "", "", "n", "r", "l", "s", "k", "m", "x"]
# The probe's names (real first and last names). Training names are syllable strings that avoid these words.
PROBE_FIRST = ("alice adrian beatrix boris camille dmitri edith florian gloria harald isabel jasper kirsten leon "
               "magnus nora oliver priya ronja samuel theresa ulrike valentin wilma yara zacharias agnes bernd "
               "clara dominik esther gregor helga ivo johanna kasimir lotte matthias nina otto "
               "philippa").split()
PROBE_LAST = ("ackermann baumann castillo dahl eriksen ferreira gallo hansen ivanova jovanovic kuhlmann lindqvist "
              "moreau nakamura olsen pereira quist romano sandoval takahashi urban vasquez wendt yilmaz zeller "
              "andersen bianchi costa delacroix eberhardt fontaine gruber holm iversen janssen "
              "kovac larsen marchetti nowak").split()
PROBE_WORDS = set(PROBE_FIRST) | set(PROBE_LAST)
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def word(r, lo=2, hi=3):
    while True:
        w = "".join(r.choice(ONSETS) + r.choice(NUCLEI) for _ in range(r.randint(lo, hi))) + r.choice(CODAS)
        if w not in PROBE_WORDS:
            return w


def user_value(r):
    k = r.random()
    if k < 0.55:
        return word(r) + "." + word(r)
    if k < 0.70:
        return word(r) + "_" + word(r)
    if k < 0.85:
        return word(r) + str(r.randint(1, 999))
    return word(r) + "." + word(r) + "@" + word(r, 1, 2) + "." + r.choice(["com", "net", "io", "org", "de"])


def ip_value(r):
    return "%d.%d.%d.%d" % (r.choice([10, 172, 192, r.randint(11, 223)]), r.randint(0, 255), r.randint(0, 255),
                            r.randint(1, 254))


def path_value(r):
    tail = r.choice(["", "", "/%d" % r.randint(1, 99999), ".json", ".html", ".tar.gz", ".log"])
    return "/" + "/".join(word(r, 1, 2) for _ in range(r.randint(1, 3))) + tail


def code_value(r):
    k = r.random()
    if k < 0.3:
        return "E%04d" % r.randint(0, 9999)
    if k < 0.5:
        return "0x%08x" % r.getrandbits(32)
    if k < 0.75:
        return ("ERR_" + word(r, 1, 2) + "_" + word(r, 1, 2)).upper()
    return str(r.randint(1, 255))


def key_value(r):
    k = r.random()
    if k < 0.3:
        return "req-%08x" % r.getrandbits(32)
    if k < 0.45:
        return "%08x-%04x-%04x" % (r.getrandbits(32), r.getrandbits(16), r.getrandbits(16))
    if k < 0.6:
        return "sess_" + "".join(r.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(10))
    if k < 0.75:
        return "txn-%06d" % r.randint(0, 999999)
    if k < 0.9:
        return word(r, 1, 2) + "-%d" % r.randint(1, 99999)
    return "%016x" % r.getrandbits(64)


VALUE_KINDS = {
    "user": (user_value, ["user", "user", "username", "customer", "account", "login"]),
    "ip": (ip_value, ["ip", "client_ip", "remote_addr", "src"]),
    "path": (path_value, ["path", "uri", "file", "target"]),
    "code": (code_value, ["code", "error_code", "errno", "status"]),
}
KEY_NAMES = ["request_id", "request_id", "req", "session", "trace_id", "correlation_id", "txn", "order", "job"]
PACKAGES = ["c.x.store", "o.acme.api", "n.p.billing", "io.q.gateway", "d.l.shop", "com.ex.auth", "a.b.orders"]
MODULES = ["auth", "billing", "cart", "web", "jobs", "files", "search", "audit"]
CLASSES = ["SessionService", "LoginFilter", "InvoiceService", "CartService", "RequestLog", "UploadHandler",
           "TokenStore", "AuditTrail", "OrderService", "JobRunner"]
INTRO_ACTIONS = ["session opened", "login succeeded", "token issued", "request accepted", "connection opened",
                 "upload started", "job queued", "checkout started"]
QUERY_ACTIONS = ["invoice issued", "order placed", "cart updated", "request finished", "session closed",
                 "payment captured", "upload finished", "job done", "audit"]


def ts(t):
    g = time.gmtime(int(t))
    return "%04d-%02d-%02d %02d:%02d:%02d.%03d" % (g.tm_year, g.tm_mon, g.tm_mday, g.tm_hour, g.tm_min, g.tm_sec,
                                                   int((t % 1) * 1000))


def syslog_ts(t):
    g = time.gmtime(int(t))
    return "%s %2d %02d:%02d:%02d" % (MONTHS[g.tm_mon - 1], g.tm_mday, g.tm_hour, g.tm_min, g.tm_sec)


def thread(r):
    return r.choice(["http-nio-8080-exec-%d", "worker-%d", "pool-2-thread-%d", "scheduler-%d",
                     "grpc-default-executor-%d"]) % r.randint(1, 16)


def cls(r):
    return "%s.%s.%s" % (r.choice(PACKAGES), r.choice(MODULES), r.choice(CLASSES))


def level(r):
    return r.choice(["INFO ", "INFO ", "DEBUG", "WARN "])


# Each format returns (intro line, query maker); query(r, t) -> (prefix, answer, suffix): the answer is the value
# with what glues to it (e.g. "=" + value), so that it starts and ends on a pre-tokenizer boundary.
def fmt_app(r):
    vkind = r.choice(["user", "user", "user", "ip", "path", "code"])
    make, names = VALUE_KINDS[vkind]
    key, val, kn, vn = key_value(r), make(r), r.choice(KEY_NAMES), r.choice(names)
    between = " ip=%s" % ip_value(r) if vkind != "ip" and r.random() < 0.3 else ""
    after = r.choice(["", " ip=%s" % ip_value(r), " took=%dms" % r.randint(1, 900), " attempt=%d" % r.randint(1, 5)])
    intro_t = r.uniform(1.6e9, 1.8e9)
    intro = "%s %s [%s] %s - %s %s=%s%s %s=%s%s" % (ts(intro_t), level(r), thread(r), cls(r),
                                                    r.choice(INTRO_ACTIONS), kn, key, between, vn, val, after)

    def query(r, t):
        prefix = "%s %s [%s] %s - %s %s=%s %s" % (ts(intro_t + t), level(r), thread(r), cls(r),
                                                 r.choice(QUERY_ACTIONS), kn, key, vn)
        suffix = r.choice(["", " amount=%d.%02d EUR" % (r.randint(1, 500), r.randint(0, 99)),
                           " items=%d" % r.randint(1, 9), " status=%d" % r.choice([200, 201, 204, 400, 500])])
        return prefix, "=" + val, suffix
    return intro, query


def fmt_json(r):
    vkind = r.choice(["user", "user", "ip", "path", "code"])
    make, names = VALUE_KINDS[vkind]
    key, val, kn, vn = key_value(r), make(r), r.choice(KEY_NAMES), r.choice(names)
    intro_t = r.uniform(1.6e9, 1.8e9)
    intro = '{"ts":"%s","level":"info","msg":"%s","%s":"%s","%s":"%s"}' % (
        ts(intro_t).replace(" ", "T"), r.choice(INTRO_ACTIONS), kn, key, vn, val)

    def query(r, t):
        prefix = '{"ts":"%s","level":"%s","msg":"%s","%s":"%s","%s":"' % (
            ts(intro_t + t).replace(" ", "T"), r.choice(["info", "warn", "debug"]), r.choice(QUERY_ACTIONS), kn,
            key, vn)
        return prefix, val, '","duration_ms":%d}' % r.randint(1, 5000)
    return intro, query


def fmt_postgres(r):
    pid, val, db = r.randint(1000, 99999), r.choice([word(r), word(r) + "_" + word(r, 1, 2)]), word(r, 1, 3)
    intro_t = r.uniform(1.6e9, 1.8e9)
    intro = "%s UTC [%d] LOG:  connection authorized: user=%s database=%s application_name=%s" % (
        ts(intro_t), pid, val, db, r.choice(["psql", "pgbench", "app", word(r, 1, 2)]))

    def query(r, t):
        prefix = "%s UTC [%d] LOG:  disconnection: session time: 0:%02d:%02d.%03d user" % (
            ts(intro_t + t), pid, r.randint(0, 59), r.randint(0, 59), r.randint(0, 999))
        return prefix, "=" + val, " database=%s host=%s port=%d" % (db, ip_value(r), r.randint(1024, 65535))
    return intro, query


def fmt_sshd(r):
    pid, val, host = r.randint(1000, 99999), r.choice([word(r), word(r) + "." + word(r), word(r) + "_" + word(r)]), \
        word(r, 1, 2) + "-%d" % r.randint(1, 40)
    intro_t = r.uniform(1.6e9, 1.8e9)
    intro = "%s %s sshd[%d]: Accepted %s for %s from %s port %d ssh2" % (
        syslog_ts(intro_t), host, pid, r.choice(["publickey", "password"]), val, ip_value(r), r.randint(1024, 65535))

    def query(r, t):
        return "%s %s sshd[%d]: pam_unix(sshd:session): session closed for user" % (
            syslog_ts(intro_t + t), host, pid), " " + val, ""
    return intro, query


def fmt_nginx(r):
    ip, val = ip_value(r), r.choice([word(r), word(r) + "." + word(r)])
    intro_t = r.uniform(1.6e9, 1.8e9)

    def line(t):
        g = time.gmtime(int(intro_t + t))
        return '[%02d/%s/%04d:%02d:%02d:%02d +0000] "%s %s HTTP/1.1" %d %d' % (
            g.tm_mday, MONTHS[g.tm_mon - 1], g.tm_year, g.tm_hour, g.tm_min, g.tm_sec, r.choice(["GET", "POST"]),
            path_value(r), r.choice([200, 200, 304, 404, 502]), r.randint(0, 90000))
    intro = "%s - %s %s" % (ip, val, line(0))

    def query(r, t):
        return "%s -" % ip, " " + val, " " + line(t)
    return intro, query


def fmt_job(r):
    key, val = key_value(r), code_value(r)
    intro_t = r.uniform(1.6e9, 1.8e9)
    intro = "%s ERROR [%s] %s - job %s failed: code=%s" % (ts(intro_t), thread(r), cls(r), key, val)

    def query(r, t):
        prefix = "%s INFO  [%s] %s - retrying job %s (last failure code" % (ts(intro_t + t), thread(r), cls(r), key)
        return prefix, "=" + val, ", attempt %d)" % r.randint(2, 6)
    return intro, query


def fmt_cache(r):
    vkind = r.choice(list(VALUE_KINDS))
    key, val = key_value(r), VALUE_KINDS[vkind][0](r)
    intro_t = r.uniform(1.6e9, 1.8e9)
    intro = "%s DEBUG [%s] %s - cache put key=%s value=%s" % (ts(intro_t), thread(r), cls(r), key, val)

    def query(r, t):
        return "%s DEBUG [%s] %s - cache hit key=%s value" % (ts(intro_t + t), thread(r), cls(r), key), \
            "=" + val, " age=%ds" % r.randint(1, 3600)
    return intro, query


FORMATS = [(fmt_app, 0.35), (fmt_json, 0.12), (fmt_postgres, 0.12), (fmt_sshd, 0.1), (fmt_nginx, 0.1),
           (fmt_job, 0.1), (fmt_cache, 0.11)]


def log_uniform(r, lo, hi):
    return int(math.exp(r.uniform(math.log(lo), math.log(hi))))


def distance_class(d):
    return 1 if d < 256 else 2 if d < 1024 else 3


def value_span(enc, prefix, answer, suffix):
    """Token ids of the whole line (with its newline) and the span of the answer in them; span None when a token
    crosses the prefix/answer or answer/suffix border."""
    p, pa, full = (e.ids for e in enc([prefix, prefix + answer, prefix + answer + suffix + "\n"]))
    ok = 0 < len(p) < len(pa) <= len(full) and pa[:len(p)] == p and full[:len(pa)] == pa
    return full, ((len(p), len(pa)) if ok else None)


def line_end_table(tok):
    """For each token id, whether its text ends with a newline. The pre-tokenizer glues a newline to the
    punctuation before it (a line ending in '"' or ')' ends with a token such as '"\\n'), so the plain
    newline token marks only some line ends."""
    table = np.zeros(tok.get_vocab_size(), bool)
    for text, i in tok.get_vocab().items():
        table[i] = text.endswith("\u010a")  # byte-level form of the byte 0x0A
    if not table.any():
        raise ValueError("no token of the vocabulary ends with a newline")
    return table


class Filler:
    """Whole lines of a token stream, read on from a random line start."""

    def __init__(self, tokens, line_end):
        self.tokens = tokens
        self.ends = np.flatnonzero(line_end[np.asarray(tokens)])  # index of each line's last token
        if len(self.ends) < 3:
            raise ValueError("the filler stream has fewer than 3 lines")

    def start(self, r):
        j = r.randrange(0, len(self.ends) - 1)
        self.pos = int(self.ends[j]) + 1  # the line after newline j ...
        self.j = j + 1  # ... ends at newline j + 1

    def line(self, r):
        """(start, end) of the next whole line; at the stream's end it goes on from a new random place."""
        if self.j >= len(self.ends):
            self.start(r)
        s, e = self.pos, int(self.ends[self.j]) + 1
        self.pos, self.j = e, self.j + 1
        return s, e


def build_rows(job):
    """One worker: `rows` episode rows from its own seed."""
    tok_path, logs_path, rows, seq, seed = job
    os.environ["TOKENIZERS_PARALLELISM"] = "false"
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(tok_path)
    filler = Filler(np.load(logs_path, mmap_mode="r"), line_end_table(tok))
    r = random.Random(seed)
    fmts, weights = zip(*FORMATS)

    def enc(texts):
        return tok.encode_batch(texts, add_special_tokens=False)

    out = np.zeros((rows, seq), np.uint16)
    codes = np.zeros((rows, seq), np.uint8)
    stats = {"facts": 0, "queries": 0, "marked": 0, "value_tokens": 0, "planted_tokens": 0}
    for row in range(rows):
        # the plan: facts, each mentioned again once or twice, at log-uniform distances
        facts = []
        for _ in range(r.randint(5, 14)):
            intro, query = r.choices(fmts, weights)[0](r)
            ds = [log_uniform(r, 4, seq - 160)]
            if r.random() < 0.35:
                ds.append(log_uniform(r, 4, seq // 2))
            facts.append((enc([intro + "\n"])[0].ids, query, ds))
        # events (target position, fact, mention number: 0 = the intro); a mention is scheduled once the
        # previous one is placed, at its end plus the distance
        heap = [(r.randint(0, max(0, seq - f[2][0] - 120)), i, 0) for i, f in enumerate(facts)]
        heapq.heapify(heap)
        pieces, n, last_end, t = [], 0, {}, 0.0
        filler.start(r)
        rs = re_ = 0  # the current run of consecutive filler lines

        while n < seq:
            if heap and heap[0][0] <= n:
                if re_ > rs:
                    pieces.append(np.asarray(filler.tokens[rs:re_], np.uint16))
                rs = re_ = 0
                _, i, k = heapq.heappop(heap)
                intro_ids, query, ds = facts[i]
                t += r.uniform(0.5, 30)
                if k == 0:
                    ids = intro_ids
                    stats["facts"] += 1
                else:
                    ids, span = value_span(enc, *query(r, t))
                    stats["queries"] += 1
                    if span is not None and n + span[1] <= seq:
                        codes[row, n + span[0]:n + span[1]] = distance_class(n - last_end[i])
                        stats["marked"] += 1
                        stats["value_tokens"] += span[1] - span[0]
                pieces.append(np.asarray(ids, np.uint16))
                stats["planted_tokens"] += min(len(ids), seq - n)
                n += len(ids)
                last_end[i] = n
                if k < len(ds):
                    heapq.heappush(heap, (n + ds[k], i, k + 1))
            else:
                s, e = filler.line(r)
                if s != re_:
                    if re_ > rs:
                        pieces.append(np.asarray(filler.tokens[rs:re_], np.uint16))
                    rs = s
                re_ = e
                n += e - s
        if re_ > rs:
            pieces.append(np.asarray(filler.tokens[rs:re_], np.uint16))
        rowtoks = np.concatenate(pieces)[:seq]
        assert rowtoks.size == seq, (rowtoks.size, seq)
        out[row] = rowtoks
    return out, codes, stats


def build_pool(tokens_dir, rows, seq, seed, workers=min(16, os.cpu_count() or 1)):
    tok_path = os.path.join(tokens_dir, "tokenizer.json")
    logs_path = os.path.join(tokens_dir, "train_logs.npy")
    per = [rows // workers + (1 if w < rows % workers else 0) for w in range(workers)]
    jobs = [(tok_path, logs_path, n, seq, seed * 1000 + w) for w, n in enumerate(per) if n > 0]
    with ProcessPoolExecutor(max_workers=len(jobs)) as ex:
        parts = list(ex.map(build_rows, jobs))
    toks = np.concatenate([p[0] for p in parts])
    codes = np.concatenate([p[1] for p in parts])
    stats = {k: sum(p[2][k] for p in parts) for k in parts[0][2]}
    np.save(os.path.join(tokens_dir, "episodes.npy"), toks)
    np.save(os.path.join(tokens_dir, "episodes_values.npy"), codes)
    stats.update({"rows": int(toks.shape[0]), "seq": seq,
                  "value_tokens_by_class": {str(c): int((codes == c).sum()) for c in (1, 2, 3)},
                  "planted_share": stats["planted_tokens"] / float(toks.size)})
    return stats


def probe_name(r):
    name = r.choice(PROBE_FIRST) + "." + r.choice(PROBE_LAST)
    return name + str(r.randint(1, 9)) if r.random() < 0.2 else name


def build_probe(tokens_dir, distances, facts, controls, preamble, seed):
    """The probe rows for each distance (see the module's description); answers are teacher-forced."""
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(os.path.join(tokens_dir, "tokenizer.json"))
    newline = tok.encode("\n").ids
    if len(newline) != 1:
        raise ValueError("the newline is not one token: %r" % (newline,))
    newline = newline[0]
    filler = Filler(np.load(os.path.join(tokens_dir, "heldout_logs.npy")), line_end_table(tok))
    r = random.Random(seed)

    def enc(texts):
        return tok.encode_batch(texts, add_special_tokens=False)

    def take(n):
        """Exactly n tokens of held-out log text from a random line start, inside one document, the last token
        made a newline (as the Java eval cuts its traffic)."""
        for _ in range(1000):
            filler.start(r)
            chunk = np.array(filler.tokens[filler.pos:filler.pos + n], np.int32)
            if chunk.size == n and not (chunk == 0).any():
                chunk[-1] = newline
                return chunk
        raise ValueError("no %d tokens of held-out logs without a document boundary" % n)

    arrays, skipped = {}, 0
    for d in distances:
        rows = []
        for i in range(facts + controls):
            control = i >= facts
            t0 = r.uniform(1.7e9, 1.75e9)
            key, name = "req-%08x" % r.getrandbits(32), probe_name(r)
            fact = "%s INFO  [http-nio-8080-exec-%d] c.shop.auth.SessionService - session opened request_id=%s user=%s ip=10.%d.%d.%d\n" % (
                ts(t0), r.randint(1, 12), key, name, r.randint(0, 255), r.randint(0, 255), r.randint(1, 254))
            for attempt in range(20):
                ask_key, ask_name = ("req-%08x" % r.getrandbits(32), probe_name(r)) if control else (key, name)
                prefix = "%s INFO  [http-nio-8080-exec-%d] c.shop.billing.InvoiceService - invoice issued request_id=%s user" % (
                    ts(t0 + d * 0.05), r.randint(1, 12), ask_key)
                line, span = value_span(enc, prefix, "=" + ask_name, " amount=%d.%02d EUR" % (r.randint(5, 400), r.randint(0, 99)))
                if span is not None:
                    break
            if span is None:
                skipped += 1
                continue
            head = np.concatenate([take(preamble), np.asarray(enc([fact])[0].ids, np.int32), take(d)])
            rows.append((np.concatenate([head, np.asarray(line, np.int32)]), len(head) + span[0], len(head) + span[1], control))
        width = max(len(x[0]) for x in rows)
        ids = np.zeros((len(rows), width), np.int32)
        for j, (x, _, _, _) in enumerate(rows):
            ids[j, :len(x)] = x
        arrays["ids_%d" % d] = ids
        arrays["vstart_%d" % d] = np.array([x[1] for x in rows], np.int32)
        arrays["vend_%d" % d] = np.array([x[2] for x in rows], np.int32)
        arrays["control_%d" % d] = np.array([x[3] for x in rows], bool)
    arrays["distances"] = np.array(distances, np.int32)
    np.savez(os.path.join(tokens_dir, "recall_probe.npz"), **arrays)
    return {"distances": list(distances), "facts": facts, "controls": controls, "preamble": preamble,
            "skipped": skipped}


if __name__ == "__main__":
    tokens_dir, rows, seq, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    t0 = time.time()
    stats = build_pool(tokens_dir, rows, seq, seed)
    print("episodes: %s in %.1fs" % (json.dumps(stats), time.time() - t0), flush=True)
    probe = build_probe(tokens_dir, [16, 64, 256, 512, 1024, 2048, 4096, 8192, 16384], 256, 64, 256, seed + 7)
    print("probe: %s in %.1fs" % (json.dumps(probe), time.time() - t0), flush=True)
    with open(os.path.join(tokens_dir, "episodes.json"), "w") as f:
        json.dump({"pool": stats, "probe": probe}, f, indent=1)

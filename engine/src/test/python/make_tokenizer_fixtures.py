"""Parity fixtures for Linnet's pure-Java tokenizer (dev.linnet.engine.tokenizer), made with HuggingFace tokenizers.

Trains three small byte-level BPE tokenizers on a corpus written below, then records what HF `tokenizers`
gives for a varied test corpus: ids with special tokens recognised and not (`encode_special_tokens`), ids with
the post-processor's template, byte offsets, and decode(ids). The Java tests read these files and require the
same ids, id for id.

  gpt2-style     ByteLevel pre-tokenizer with its own GPT-2 regex, no normalizer, <|endoftext|>
  llama3-style   NFC, Split(Llama-3/cl100k regex, isolated) + ByteLevel(use_regex=false), ignore_merges,
                 special and non-special added tokens with lstrip/rstrip/single_word/normalized flags,
                 TemplateProcessing adding <|begin_of_text|>
  split-style    NFKC, Split with other behaviours; its variants swap the pre-tokenizer / normalizer

Each "variant" is a base tokenizer.json plus top-level fields replaced ("set") and optionally the merges
written in the legacy "a b" string form; the Java test rebuilds the same JSON and loads it.

Run where `tokenizers` exists (the GPU machine has 0.23):  python3 make_tokenizer_fixtures.py OUTDIR
Writes OUTDIR/tokenizer/{cases.json.gz, <base>.json, expected-<variant>.json.gz}. Deterministic (fixed seeds).
"""
import copy
import gzip
import json
import os
import random
import sys

# ----------------------------------------------------------------------------------------------------------
# Corpora (written here; no outside data)
# ----------------------------------------------------------------------------------------------------------

PROSE = [
    "The river ran quietly past the old mill, where the miller's daughter kept a ledger of every sack of grain.",
    "She'd never believed the stories they'll tell you about the north road, but it's hard to ignore them now.",
    "We're going to need a bigger boat, he said, and nobody laughed; the water was already over the deck.",
    "In 1887 the town had four bakeries, two churches, and a single telegraph office that closed at six.",
    "You've got to understand that I'm not angry, I'm just disappointed that you didn't call before leaving.",
    "Stream processing systems read unbounded data: records arrive forever, and results must keep up with them.",
    "A tokenizer turns text into integers; the model never sees letters, only the ids that stand for pieces.",
    "The committee met on Tuesday, discussed the budget for three hours, and adjourned without a decision.",
    "Mountains, rivers, forests and deserts: the atlas showed them all in colours that faded with the years.",
    "\"Don't touch that,\" she whispered. \"It isn't ours, and it isn't safe.\" He put it down slowly.",
    "Quantum computers, if they ever scale, will change cryptography more than anything since public keys.",
    "He wrote letters every Sunday — long ones, with drawings in the margins — and never mailed a single one.",
    "The cat (an elderly tabby named Marmalade) slept through the thunderstorm, the fire alarm, and dinner.",
    "Café owners in Zürich complained that the new façade blocked the view of the lake from the terrace.",
    "Naïve estimates put the cost at €4.2 million; the final bill, in 2019, was closer to €11 million.",
]

CJK_AND_OTHERS = [
    "日本語のテキストを正しく分割できるかどうかを確認します。東京は今日も晴れです。",
    "中文文本也需要测试，包括标点符号，例如：逗号、句号。以及数字 2024 年。",
    "한국어 문장도 포함합니다. 로그 분석은 재미있습니다!",
    "Привет, мир! Это тест для кириллицы и других алфавитов.",
    "Γειά σου Κόσμε· ΣΊΣΥΦΟΣ ς σ.",
    "مرحبا بالعالم، هذا اختبار للنص العربي.",
    "नमस्ते दुनिया, यह देवनागरी का परीक्षण है।",
    "สวัสดีชาวโลก นี่คือการทดสอบภาษาไทย",
    "עברית נכתבת מימין לשמאל.",
]

EMOJI = [
    "Deploy finished 🚀 all green ✅ but the dashboard is 🔥 again 😅",
    "Family: 👨‍👩‍👧‍👦 flags: 🇩🇪 🇯🇵 🇺🇸 🏳️‍🌈 skin tones: 👍🏽 👋🏿 hearts: ❤️ ❤️‍🔥",
    "Keycaps 1️⃣ 2️⃣ #️⃣ and variation selectors ☺︎ ☺️",
]


def log_lines(rng, n):
    """Synthetic log lines: timestamps, levels, IPs, hex ids, paths, JSON, stack traces."""
    levels = ["INFO", "WARN", "ERROR", "DEBUG", "TRACE"]
    services = ["api-gateway", "auth", "billing", "kafka-consumer", "flink-taskmanager", "nginx"]
    paths = ["/api/v1/users", "/api/v2/orders", "/healthz", "/static/js/app.min.js", "/var/log/syslog",
             "/etc/nginx/nginx.conf", "C:\\Program Files\\App\\bin\\app.exe", "/home/deploy/.cache/pip"]
    verbs = ["GET", "POST", "PUT", "DELETE", "PATCH"]
    messages = ["connection reset by peer", "timeout after 30000 ms", "user not found",
                "checkpoint 42 completed", "rebalancing partitions", "disk usage above 90%",
                "failed to parse JSON", "retrying in 5s", "cache miss", "GC pause 120ms"]
    out = []
    for i in range(n):
        ts = "2024-%02d-%02dT%02d:%02d:%02d.%03dZ" % (rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23),
                                                     rng.randint(0, 59), rng.randint(0, 59), rng.randint(0, 999))
        ip = "%d.%d.%d.%d" % (rng.randint(1, 254), rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254))
        hx = "%08x" % rng.getrandbits(32)
        kind = i % 6
        if kind == 0:
            out.append("%s %-5s [%s] %s %s%s?id=%d %d %dms %s" % (
                ts, rng.choice(levels), rng.choice(services), rng.choice(verbs), rng.choice(paths),
                "/" + str(rng.randint(1, 99999)), rng.randint(1, 1000), rng.choice([200, 201, 404, 500, 503]),
                rng.randint(1, 5000), ip))
        elif kind == 1:
            out.append(json.dumps({"ts": ts, "level": rng.choice(levels).lower(), "msg": rng.choice(messages),
                                   "trace_id": hx + "%08x" % rng.getrandbits(32), "latency_ms": rng.randint(1, 999),
                                   "ok": rng.random() < 0.8}))
        elif kind == 2:
            out.append("%s kernel: [%d.%06d] eth0: link up, 1000 Mbps, full duplex, addr %s mac %s" % (
                ts[:19], rng.randint(0, 99999), rng.randint(0, 999999), ip,
                ":".join("%02x" % rng.randint(0, 255) for _ in range(6))))
        elif kind == 3:
            out.append('%s - - [%02d/Mar/2024:%02d:%02d:%02d +0000] "%s %s HTTP/1.1" %d %d "-" "Mozilla/5.0"' % (
                ip, rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59),
                rng.choice(verbs), rng.choice(paths), rng.choice([200, 304, 404]), rng.randint(0, 99999)))
        elif kind == 4:
            out.append("Exception in thread \"main\" java.lang.IllegalStateException: %s\n"
                       "\tat dev.linnet.engine.Foo.bar(Foo.java:%d)\n\tat java.base/java.lang.Thread.run(Thread.java:%d)"
                       % (rng.choice(messages), rng.randint(1, 999), rng.randint(1, 999)))
        else:
            out.append("%s blk_%d 0x%s %s sha256=%s" % (
                ts, rng.randint(-2 ** 62, 2 ** 62), hx.upper(), rng.choice(messages),
                "".join("%02x" % rng.randint(0, 255) for _ in range(16))))
    return out


def training_corpus():
    rng = random.Random(20240601)
    lines = []
    for _ in range(6):
        lines.extend(PROSE)
        lines.extend(CJK_AND_OTHERS)
        lines.extend(EMOJI)
    lines.extend(log_lines(rng, 1500))
    words = " ".join(PROSE).split()
    for _ in range(400):
        lines.append(" ".join(rng.choice(words) for _ in range(rng.randint(3, 20))))
    lines.append("0123456789 " * 50)
    lines.append("<|endoftext|> <|im_start|>user\nhello<|im_end|>")
    return lines


FUZZ_POOL = ["a", "b", "Z", "x", "é", "e\u0301", " ", "  ", "   ", "\t", "\n", "\r\n", "\r", "'", "'s", "'S", "'ll",
             "'LL", "'ve", "'d", "'m", "'t", "'re", "'Re", "\u017f", "'\u017f", "0", "7", "123", "4567", ".", ",", "!",
             "?", "-", "_", "/", "\\", "<", "|", ">", "<|endoftext|>", "<|im_start|>", "<|im_end|>", "<mask>",
             "<sep>", "ERROR", "café", "cafe\u0301", "[[", "日", "本", "語", "ア", "한", "\u1100\u1161\u11a8", "😀",
             "👍🏽", "👨‍👩‍👧", "🇩🇪", "\u200d", "\ufe0f", "\u0301", "\u0308", "\u00a0", "\u3000", "\u2028", "\u0085",
             "\x00", "\x1b", "\x7f", "\ufb01", "\u2460", "\uff12", "\u00df", "\u0130", "\u03a3", "\u03c2", "\u0627",
             "\u0928", "\u094d", "\ufffd", "\ufeff", "{\"k\":", "}", "[", "]", "=", "#", "@", "$", "%", "^", "&",
             "*", "(", ")", "+", "~", "`", ";", ":", "\u2212", "\u00b2", "\u00bd", "\u212a", "\U00010348",
             "\U0001f9d1\u200d\U0001f4bb", "over", "flow", " the", "ing", "HTTP", "GET", "127.0.0.1"]


def test_cases():
    """(name, text) pairs: the edge cases the brief lists, then seeded random mixes of tricky pieces."""
    rng = random.Random(7)
    cases = []

    def add(name, text):
        cases.append({"name": name, "text": text})

    for i, p in enumerate(PROSE[:6]):
        add("prose-%d" % i, p)
    add("prose-paragraph", "\n".join(PROSE[6:]) + "\n")
    add("contractions", "I'm sure they'll say it's John's car; we'd've known, you're right, I've seen it, "
                        "don't, can't, won't. SHE'S HERE, THEY'LL GO, WE'VE, I'M, YOU'D, 'T'IS. "
                        "O'Neil's rock'n'roll. It\u2019s curly. '\u017f and 'ſt")
    for i, line in enumerate(log_lines(random.Random(99), 12)):
        add("log-%d" % i, line)
    add("log-ips-hex", "src=10.0.0.1 dst=2001:0db8:85a3:0000:0000:8a2e:0370:7334 port=8080 id=0xDEADBEEF "
                       "crc=0x1f2e3d4c uuid=123e4567-e89b-12d3-a456-426614174000")
    add("log-timestamps", "2024-03-01 12:34:56,789 | 1709296496.123456 | Mar  1 12:34:56 | 01/Mar/2024:12:34:56 +0100")
    add("log-paths", "/usr/local/lib/python3.12/site-packages/torch/__init__.py:1234 C:\\Windows\\System32\\drivers\\etc\\hosts "
                     "~/.config/app/settings.json ../../etc/passwd file:///tmp/x%20y.txt")
    add("log-json", json.dumps({"event": "login", "user": {"id": 42, "name": "Zoë", "roles": ["admin", "ops"]},
                                "geo": {"lat": 52.52, "lon": 13.405}, "tags": [], "note": None}, ensure_ascii=False))
    add("log-json-escaped", json.dumps({"msg": "tab\there \"quoted\" \\ back\nnew", "emoji": "😀"}))
    for i, t in enumerate(CJK_AND_OTHERS):
        add("script-%d" % i, t)
    add("cjk-mixed", "ログ: エラーが発生しました (code=E1234) 错误 오류 at 12:00")
    for i, t in enumerate(EMOJI):
        add("emoji-%d" % i, t)
    add("emoji-zwj-run", "👩‍💻👨‍🔬🧑‍🚀👩🏽‍🚒🏴‍☠️🐻‍❄️" * 3)
    add("flags-run", "🇫🇷🇩🇪🇮🇹🇪🇸🇬🇧🇺🇸🇨🇦🇯🇵🇰🇷🇨🇳🇧🇷")
    add("combining", "e\u0301 é a\u0308\u0304 Z\u0324\u0308\u0301 a\u0301\u0301\u0301\u0301 "
                     "\u1100\u1161\u11a8 \uac01 n\u0303 \u00f1 \u0915\u094d\u0937 q\u0307\u0323")
    add("combining-leading", "\u0301\u0301start and mark at end\u0301")
    add("zalgo", "H\u0335\u0352\u0341e\u0338\u0310\u0301l\u0334\u0313l\u0337\u0357o\u0336\u0346")
    add("compat", "\ufb01le \u2460\u2461 \uff26\uff55\uff4c\uff4c\uff57\uff49\uff44\uff54\uff48 x\u00b2 \u00bd "
                  "\u210c \u2126 \u212b \u3300 \u00aa \u2075")
    add("control-chars", "bell\x07 nul\x00 esc\x1b[31mred\x1b[0m del\x7f vt\x0b ff\x0c fs\x1c end")
    add("invisible", "zero\u200bwidth nb\u00a0sp soft\u00adhyphen bom\ufeff lrm\u200e rlm\u200f "
                     "ls\u2028ps\u2029 nel\u0085 ideo\u3000space em\u2003space")
    add("replacement-char", "bad \ufffd byte \ufffd\ufffd")
    add("whitespace-runs", "a   b\t\t c\n\n\n  d \r\n e  \n  \t \u00a0 f        g")
    add("trailing-spaces", "end with spaces     ")
    add("leading-spaces", "      start with spaces")
    add("only-spaces", "          ")
    add("only-newlines", "\n\n\n\n")
    add("crlf-lines", "line one\r\nline two\r\n\r\nline four\r\n")
    add("single-space", " ")
    add("single-char", "x")
    add("empty", "")
    add("tabs-code", "def f(x):\n\tif x:\n\t\treturn x  # comment\n\treturn None\n")
    add("digits-long", "1234567890" * 30)
    add("digits-mixed", "3.14159265358979323846 1,234,567.89 -0.0001 1e-10 0x7fffffff 007 12:30 v2.10.3 "
                        "\u0661\u0662\u0663 \u096f\u0968 \uff11\uff12\uff13 \u2460")
    rnd = random.Random(12345)
    b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    add("long-base64-10k", "".join(rnd.choice(b64) for _ in range(10000)))
    add("long-letters-10k", "".join(rnd.choice("etaoinshrdlucmfw") for _ in range(10000)))
    add("long-repeat-10k", "ab" * 5000)
    add("long-hex-4k", "".join(rnd.choice("0123456789abcdef") for _ in range(4000)))
    add("special-inline", "hello<|endoftext|>world <|endoftext|> again<|endoftext|><|endoftext|>")
    add("special-chat", "<|im_start|>system\nYou are a log analyst.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n")
    add("special-partial", "<|endoftext <|im_start| <|im_end|<|im_end|> |>endoftext<| <||> <|begin_of_text|>")
    add("special-strip", "a <mask> b  <mask>  c<mask>d <sep>   e <sep>\n\nf")
    add("added-single-word", "ERROR ERRORS xERROR ERROR. (ERROR) ERROR_1 error ERROR")
    add("added-normalized", "café cafe\u0301 CAFÉ [[x]] [[[ café")
    add("unicode-case", "\u0130stanbul \u212aelvin \u017f MASSE Ma\u00dfe \u1e9e")
    add("supplementary", "\U00010348 \U0001d400\U0001d401 \U00020000\U0002a6d6 \U0001f600")
    for i in range(300):
        n = rng.randint(1, 25)
        add("fuzz-%03d" % i, "".join(rng.choice(FUZZ_POOL) for _ in range(n)))
    return cases


LONG_CASES = ("long-", "digits-long")

# ----------------------------------------------------------------------------------------------------------
# Tokenizers
# ----------------------------------------------------------------------------------------------------------

LLAMA3_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                  r"|\s*[\r\n]+|\s+(?!\S)|\s+")


def byte_offsets(text, char_offsets):
    """HF's Python offsets count code points; the Java API reports UTF-8 byte offsets."""
    starts = [0]
    for ch in text:
        starts.append(starts[-1] + len(ch.encode("utf-8")))
    return [[starts[a], starts[b]] for a, b in char_offsets]


def compact_result(case, plain_ids, special_ids, template_ids, offsets, decoded, decoded_skip_special):
    """One case's expected output, leaving out what equals something already recorded (to keep fixtures small).

    ids                   encode_special_tokens=True (special-token strings are plain text), no template
    ids_special           special tokens recognised; absent when equal to ids
    template_prefix/_suffix  what add_special_tokens=True puts around ids_special (checked here, not assumed)
    offsets_special       [start, end) UTF-8 byte offsets of ids_special, flattened; only for some variants
    decoded               decode(ids_special, skip_special_tokens=False); absent when equal to the text
    decoded_skip_special  decode(ids_special, skip_special_tokens=True); absent when equal to decoded
    """
    text = case["text"]
    r = {"case": case["name"], "ids": list(plain_ids)}
    if list(special_ids) != list(plain_ids):
        r["ids_special"] = list(special_ids)
    if template_ids is not None:
        template_ids = list(template_ids)
        n = len(special_ids)
        found = None
        for p in range(len(template_ids) - n + 1):
            if template_ids[p:p + n] == list(special_ids):
                found = p
                break
        if found is None:
            raise SystemExit("template output of %s does not contain the plain encoding" % case["name"])
        r["template_prefix"] = template_ids[:found]
        r["template_suffix"] = template_ids[found + n:]
    if offsets is not None:
        r["offsets_special"] = [x for pair in offsets for x in pair]
    if decoded != text:
        r["decoded"] = decoded
    if decoded_skip_special != decoded:
        r["decoded_skip_special"] = decoded_skip_special
    return r


def write_gzip_json(path, doc):
    # mtime=0 and a fixed layout: the same run gives the same bytes
    raw = json.dumps(doc, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    with open(path, "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0) as gz:
            gz.write(raw)


def main():
    from tokenizers import (AddedToken, Regex, Tokenizer, __version__, decoders, models, normalizers,
                            pre_tokenizers, processors, trainers)

    out = os.path.join(sys.argv[1], "tokenizer")
    os.makedirs(out, exist_ok=True)
    print("tokenizers", __version__, flush=True)
    corpus = training_corpus()
    cases = test_cases()
    alphabet = pre_tokenizers.ByteLevel.alphabet()

    def train(tok, vocab_size, specials):
        trainer = trainers.BpeTrainer(vocab_size=vocab_size, min_frequency=2, show_progress=False,
                                      special_tokens=specials, initial_alphabet=alphabet)
        tok.train_from_iterator(corpus, trainer=trainer)
        return tok

    # gpt2-style
    t = Tokenizer(models.BPE())
    t.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    t.decoder = decoders.ByteLevel()
    t.post_processor = processors.ByteLevel(trim_offsets=False)
    train(t, 1200, [AddedToken("<|endoftext|>", special=True, normalized=False)])
    gpt2 = json.loads(t.to_str())

    # llama3-style
    t = Tokenizer(models.BPE())
    t.normalizer = normalizers.NFC()
    t.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(LLAMA3_PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False)])
    t.decoder = decoders.ByteLevel()
    specials = [AddedToken(s, special=True, normalized=False)
                for s in ["<|begin_of_text|>", "<|endoftext|>", "<|im_start|>", "<|im_end|>"]]
    train(t, 1500, specials)
    t.add_special_tokens([AddedToken("<mask>", lstrip=True, special=True, normalized=False),
                          AddedToken("<sep>", rstrip=True, special=True, normalized=False)])
    t.add_tokens([AddedToken("ERROR", single_word=True, normalized=True, special=False),
                  AddedToken("café", normalized=True, special=False),
                  AddedToken("[[", normalized=False, special=False)])
    bos = t.token_to_id("<|begin_of_text|>")
    t.post_processor = processors.Sequence([
        processors.ByteLevel(trim_offsets=False),
        processors.TemplateProcessing(single="<|begin_of_text|> $A", special_tokens=[("<|begin_of_text|>", bos)])])
    llama3 = json.loads(t.to_str())
    llama3["model"]["ignore_merges"] = True

    # split-style
    t = Tokenizer(models.BPE())
    t.normalizer = normalizers.NFKC()
    t.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(r"\s+|[,;|=]"), behavior="isolated"),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    t.decoder = decoders.ByteLevel()
    train(t, 900, [AddedToken("<|endoftext|>", special=True, normalized=False)])
    split = json.loads(t.to_str())

    bases = {"gpt2-style": gpt2, "llama3-style": llama3, "split-style": split}
    for name, d in bases.items():
        with open(os.path.join(out, name + ".json"), "w", encoding="utf-8") as f:
            json.dump(d, f, ensure_ascii=False)

    def bl(prefix, use_regex):
        return {"type": "ByteLevel", "add_prefix_space": prefix, "trim_offsets": False, "use_regex": use_regex}

    def sp(pattern, behavior, invert=False, literal=False):
        return {"type": "Split", "pattern": {"String" if literal else "Regex": pattern}, "behavior": behavior,
                "invert": invert}

    def seq(*items):
        return {"type": "Sequence", "pretokenizers": list(items)}

    variants = [
        # name, base, set, merges as strings, record offsets, long cases
        ("gpt2-style", "gpt2-style", {}, False, True, True),
        ("gpt2-prefix-legacy-merges", "gpt2-style", {"pre_tokenizer": bl(True, True)}, True, False, False),
        ("llama3-style", "llama3-style", {}, False, True, True),
        ("llama3-prefix", "llama3-style",
         {"pre_tokenizer": seq(sp(LLAMA3_PATTERN, "Isolated"), bl(True, False))}, False, False, False),
        ("split-style", "split-style", {}, False, True, False),
        ("split-removed", "split-style", {"pre_tokenizer": seq(sp(r"[\s,;|=]+", "Removed"), bl(False, False))},
         False, False, False),
        ("split-merged-prev", "split-style",
         {"pre_tokenizer": seq(sp(r"[,;|=]", "MergedWithPrevious"), bl(False, True))}, False, False, False),
        ("split-merged-next", "split-style",
         {"pre_tokenizer": seq(sp(r"\s+", "MergedWithNext"), bl(False, False))}, False, False, False),
        ("split-contiguous", "split-style",
         {"pre_tokenizer": seq(sp(r"\d", "Contiguous"), bl(True, True))}, False, False, False),
        ("split-invert-removed", "split-style",
         {"pre_tokenizer": seq(sp(r"[\p{L}\p{N}]+", "Removed", invert=True), bl(False, False))}, False, False, False),
        ("split-string-merged-next", "split-style",
         {"pre_tokenizer": seq(sp("|", "MergedWithNext", literal=True), sp(" ", "Isolated", literal=True),
                               bl(False, True)),
          "normalizer": {"type": "Sequence", "normalizers": [{"type": "NFD"}, {"type": "NFKC"}]}},
         False, False, False),
        ("split-nfkd", "split-style", {"normalizer": {"type": "NFKD"}}, False, False, False),
    ]

    write_gzip_json(os.path.join(out, "cases.json.gz"), cases)

    for name, base, overrides, legacy, with_offsets, with_long in variants:
        d = copy.deepcopy(bases[base])
        d.update(copy.deepcopy(overrides))
        if legacy:
            d["model"]["merges"] = [" ".join(m) for m in d["model"]["merges"]]
        tok = Tokenizer.from_str(json.dumps(d))
        has_template = d.get("post_processor") is not None and "TemplateProcessing" in json.dumps(d["post_processor"])
        results = []
        for c in cases:
            long_case = c["name"].startswith(LONG_CASES)
            if not with_long and long_case:
                continue
            text = c["text"]
            tok.encode_special_tokens = True
            plain = tok.encode(text, add_special_tokens=False)
            tok.encode_special_tokens = False
            special = tok.encode(text, add_special_tokens=False)
            template = tok.encode(text, add_special_tokens=True).ids if has_template else None
            offsets = byte_offsets(text, special.offsets) if with_offsets and not long_case else None
            results.append(compact_result(c, plain.ids, special.ids, template, offsets,
                                          tok.decode(special.ids, skip_special_tokens=False),
                                          tok.decode(special.ids, skip_special_tokens=True)))
        doc = {"variant": name, "base": base + ".json", "set": overrides, "merges_as_strings": legacy,
               "tokenizers_version": __version__, "results": results}
        path = os.path.join(out, "expected-%s.json.gz" % name)
        write_gzip_json(path, doc)
        print(name, len(results), "cases", sum(len(r["ids"]) for r in results), "ids",
              os.path.getsize(path), "bytes", flush=True)


if __name__ == "__main__":
    main()

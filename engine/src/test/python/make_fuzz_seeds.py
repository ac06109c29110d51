"""Seed inputs for the engine's Jazzer fuzz tests (dev.linnet.engine.*.*FuzzTest).

A plain test run replays every file under src/test/resources/dev/linnet/engine/<package>/<Class>Inputs/<method>/;
the fuzz profile starts from them. This script writes the seeds: small valid files of each format, plus the
hostile files the engine's unit tests refuse (regression inputs). Inputs the fuzzer finds are added by hand,
named after what they exercise. Run from engine/:  python3 src/test/python/make_fuzz_seeds.py
Deterministic; standard library only.
"""
import json
import os
import struct
import zlib

RES = "src/test/resources/dev/linnet/engine"


def put(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)


# ---------------------------------------------------------------------------------------------- safetensors

def safetensors(tensors, metadata=None):
    """tensors: list of (name, dtype, shape, raw bytes); returns (header json bytes, data bytes)."""
    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    data = b""
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    return json.dumps(header, separators=(",", ":")).encode(), data


def st_file(header, data):
    return struct.pack("<Q", len(header)) + header + data


SMALL = [
    ("a.f32", "F32", [2, 3], struct.pack("<6f", 1, -2, 0.5, 3e38, -0.0, 7)),
    ("b.bf16", "BF16", [4], struct.pack("<4H", 0x3f80, 0xbf80, 0x7f7f, 0x0001)),
    ("c.i64", "I64", [2], struct.pack("<2q", -1, 2**62)),
    ("d.bool", "BOOL", [3], bytes([0, 1, 1])),
    ("e.f64", "F64", [], struct.pack("<d", 3.25)),
    ("f.f16", "F16", [1, 2], struct.pack("<2H", 0x3c00, 0x7bff)),
    ("g.u8", "U8", [2, 0], b""),
    ("h.i8", "I8", [2], bytes([0x80, 0x7f])),
]
SEEDS_ST = {
    "small-all-dtypes": safetensors(SMALL, {"format": "pt"}),
    "one-f32": safetensors(SMALL[:1]),
    "empty": safetensors([]),
    "metadata-only": safetensors([], {"format": "pt", "k": "v"}),
}
for name, (h, d) in SEEDS_ST.items():
    put(f"{RES}/io/SafetensorsFuzzTestInputs/file/{name}", st_file(h, d))
    put(f"{RES}/io/SafetensorsFuzzTestInputs/header/{name}", struct.pack("<Q", len(d)) + h)
# hostile ones the unit tests refuse: overlapping ranges, a shape whose size overflows, a key twice
put(f"{RES}/io/SafetensorsFuzzTestInputs/header/overlap",
    struct.pack("<Q", 8) + b'{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},'
    b'"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}')
put(f"{RES}/io/SafetensorsFuzzTestInputs/header/shape-overflow",
    struct.pack("<Q", 0) + b'{"a":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,0]}}')
put(f"{RES}/io/SafetensorsFuzzTestInputs/header/duplicate-key",
    struct.pack("<Q", 4) + b'{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},'
    b'"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}')
put(f"{RES}/io/SafetensorsFuzzTestInputs/file/header-length-huge", struct.pack("<Q", 2**63 + 5) + b"{}")

# ---------------------------------------------------------------------------------------------- config.json

for case in sorted(os.listdir("src/test/resources/golden")):
    p = f"src/test/resources/golden/{case}/config.json"
    if os.path.exists(p):
        with open(p, "rb") as f:
            put(f"{RES}/config/ConfigFuzzTestInputs/configJson/{case}", f.read())
with open("src/main/resources/dev/linnet/engine/defaultmodel/config.json", "rb") as f:
    default_config = f.read()
put(f"{RES}/config/ConfigFuzzTestInputs/configJson/default-model", default_config)
minimal = {"model_type": "minimax", "vocab_size": 16, "hidden_size": 8, "intermediate_size": 8,
           "num_hidden_layers": 2, "num_attention_heads": 2, "attn_type_list": [0, 1], "num_local_experts": 2,
           "sliding_window": 4, "rotary_dim": 2, "rope_theta": 1e4}
put(f"{RES}/config/ConfigFuzzTestInputs/configJson/minimal-original-names", json.dumps(minimal))
put(f"{RES}/config/ConfigFuzzTestInputs/configJson/state-of-16-gib",
    json.dumps(dict(minimal, hidden_size=48, num_attention_heads=8, num_key_value_heads=2, head_dim=8,
                    sliding_window=1 << 26)))
put(f"{RES}/config/ConfigFuzzTestInputs/configJson/window-2-31",
    json.dumps(dict(minimal, sliding_window=2**31 - 1)))
put(f"{RES}/config/ConfigFuzzTestInputs/configJson/theta-infinite", json.dumps(minimal).replace("10000.0", "1e999"))

# ---------------------------------------------------------------------------------------------- tokenizer.json


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("\u00a1"), ord("\u00ac") + 1)) \
        + list(range(ord("\u00ae"), ord("\u00ff") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


B2U = bytes_to_unicode()


def bl(s):
    return "".join(B2U[b] for b in s.encode("utf-8"))


def vocab_and_merges(words):
    vocab = {B2U[b]: b for b in range(256)}
    merges = []
    for w in words:
        toks = [B2U[b] for b in w.encode("utf-8")]
        while len(toks) > 1:
            a, b = toks[0], toks[1]
            if a + b not in vocab:
                vocab[a + b] = len(vocab)
                merges.append([a, b])
            toks = [a + b] + toks[2:]
    return vocab, merges


vocab, merges = vocab_and_merges(["the", " the", "hello", " world", "ing", " caf\u00e9", "123"])
BYTE_LEVEL = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
LLAMA3 = ("(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
          "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+")


def tok(**over):
    t = {"version": "1.0", "truncation": None, "padding": None,
         "added_tokens": [{"id": len(vocab), "content": "<|endoftext|>", "single_word": False, "lstrip": False,
                           "rstrip": False, "normalized": False, "special": True}],
         "normalizer": None, "pre_tokenizer": BYTE_LEVEL, "post_processor": BYTE_LEVEL, "decoder": BYTE_LEVEL,
         "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                   "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                   "vocab": vocab, "merges": [a + " " + b for a, b in merges]}}
    t.update(over)
    return json.dumps(t, ensure_ascii=False)


T = f"{RES}/tokenizer/TokenizerJsonFuzzTestInputs/tokenizerJson"
put(f"{T}/gpt2-mini", tok())
put(f"{T}/llama3-mini", tok(
    normalizer={"type": "NFC"},
    pre_tokenizer={"type": "Sequence", "pretokenizers": [
        {"type": "Split", "pattern": {"Regex": LLAMA3}, "behavior": "Isolated", "invert": False},
        dict(BYTE_LEVEL, use_regex=False)]},
    added_tokens=[
        {"id": 0, "content": "<|begin_of_text|>", "single_word": False, "lstrip": False, "rstrip": False,
         "normalized": False, "special": True},
        {"id": 1, "content": "caf\u00e9", "single_word": True, "lstrip": True, "rstrip": True, "normalized": True,
         "special": False}],
    post_processor={"type": "Sequence", "processors": [BYTE_LEVEL, {
        "type": "TemplateProcessing",
        "single": [{"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
        "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}],
        "special_tokens": {"<|begin_of_text|>": {"id": "<|begin_of_text|>", "ids": [len(vocab)],
                                                 "tokens": ["<|begin_of_text|>"]}}}]}))
roberta = json.loads(tok(post_processor={"type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 1],
                                         "trim_offsets": True, "add_prefix_space": False}))
roberta["model"]["merges"] = merges
roberta["model"]["ignore_merges"] = True
roberta["model"]["unk_token"] = B2U[ord("?")]
put(f"{T}/roberta-mini-array-merges", json.dumps(roberta, ensure_ascii=False))
put(f"{T}/split-string-nfkd", tok(
    normalizer={"type": "Sequence", "normalizers": [{"type": "NFKD"}, {"type": "NFC"}]},
    pre_tokenizer={"type": "Sequence", "pretokenizers": [
        {"type": "Split", "pattern": {"String": " "}, "behavior": "MergedWithNext", "invert": False},
        {"type": "Split", "pattern": {"Regex": "\\d+"}, "behavior": "Removed", "invert": True},
        dict(BYTE_LEVEL, use_regex=False, add_prefix_space=True)]}))
put(f"{T}/regex-backtracks-catastrophically", tok(pre_tokenizer={"type": "Sequence", "pretokenizers": [
    {"type": "Split", "pattern": {"Regex": "(a+)+\\1$"}, "behavior": "Isolated", "invert": False},
    dict(BYTE_LEVEL, use_regex=False)]}))
# regression inputs: what HostileTokenizerJsonTest refuses
hostile = json.loads(tok())
hostile["model"]["vocab"]["zz"] = 2**31 - 2
put(f"{T}/id-2147483646", json.dumps(hostile, ensure_ascii=False))
hostile["model"]["vocab"]["zz"] = 2**31 - 1
put(f"{T}/id-2147483647", json.dumps(hostile, ensure_ascii=False))
put(f"{T}/duplicate-key", tok().replace('"vocab": {', '"vocab": {"!": 3, ', 1))
put(f"{T}/trailing-content", tok() + " {}")

# ---------------------------------------------------------------------------------------------- state bytes
# StateCodecFuzzTest's codec: 2 lightning layers of 8, 1 softmax layer with a ring of 4 x 4, hidden 6

FP = bytes.fromhex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff")


def state(seen, precision, fp=FP):
    fill = min(seen, 4)
    n = 2 * 8 + 2 * fill * 4 + 6
    vals = [((i * 37) % 19 - 9) / 8 for i in range(n)]
    if precision == 0:
        payload = struct.pack(f"<{n}f", *vals)
    else:
        payload = b"".join(struct.pack("<I", struct.unpack("<I", struct.pack("<f", v))[0])[2:] for v in vals)
    body = b"LNST" + struct.pack("<HBB", 1, precision, 0) + fp + struct.pack("<q", seen) \
        + struct.pack("<7i", 2, 8, 1, 4, 4, 6, fill) + payload
    return body + struct.pack("<I", zlib.crc32(body))


S = f"{RES}/state/StateCodecFuzzTestInputs/decode"
for seen in (0, 3, 4, 9):
    for precision, pname in ((0, "f32"), (1, "bf16")):
        for control in (0, 3):
            put(f"{S}/{pname}-seen{seen}-control{control}", bytes([control | (2 if precision else 0)]) + state(seen, precision))
put(f"{S}/other-model", bytes([0]) + state(3, 0, fp=bytes(32)))
# a state of this model's fingerprint claiming a ring of 2^31-1 positions of 2^20 numbers, checksum made right by
# the control byte: refused by the shape check before anything is allocated from it
huge = bytearray(state(0, 0))
struct.pack_into("<7i", huge, 48, 2, 8, 1, 2**31 - 1, 2**20, 6, 0)
put(f"{S}/claims-huge-ring", bytes([1]) + bytes(huge))
put(f"{S}/too-short", bytes([1]) + b"LNST")

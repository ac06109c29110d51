"""GPU-machine step 1: train the byte-level BPE tokenizer on the corpus (or take a given one) and encode the corpus.

  python3 prepare_tokens.py CORPUS_PACK_DIR OUT_DIR [TOKENIZER_JSON]

With TOKENIZER_JSON (e.g. the shipped defaultmodel/tokenizer.json) that tokenizer is used as it is and copied to
OUT_DIR, so a retrained model keeps the tokenizer, the golden input and Linnet's tokenizer tests unchanged.

CORPUS_PACK_DIR holds train.jsonl.gz and heldout.jsonl.gz (build_corpus.py). Writes OUT_DIR/tokenizer.json and
OUT_DIR/{train,heldout}_{logs,prose}.npy (uint16 token streams, documents joined by <|endoftext|>) and
OUT_DIR/tokens.json (token and byte counts per stream).

Tokenizer: NFC normalizer; pre-tokenizer Sequence[Split(cl100k-style regex, isolated), ByteLevel(no regex, no
prefix space)]; BPE with vocabulary 8192 trained by HF tokenizers; special token <|endoftext|> (id 0);
ByteLevel decoder. Digits split in runs of at most three, so numbers in logs do not fill the vocabulary.
"""
import gzip, hashlib, json, os, shutil, sys, time
import numpy as np
from tokenizers import Tokenizer, Regex, decoders, models, normalizers, pre_tokenizers, trainers

PACK, OUT = sys.argv[1], sys.argv[2]
GIVEN = sys.argv[3] if len(sys.argv) > 3 else None
os.makedirs(OUT, exist_ok=True)
VOCAB = 8192
EOT = "<|endoftext|>"
PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
           r"|\s*[\r\n]+|\s+(?!\S)|\s+")
t0 = time.time()


def docs(split):
    with gzip.open(os.path.join(PACK, split + ".jsonl.gz"), "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            yield d["kind"], d["text"]


train_docs = list(docs("train"))
held_docs = list(docs("heldout"))
print("read %d train, %d held-out documents in %.1fs" % (len(train_docs), len(held_docs), time.time() - t0), flush=True)



def sample():  # every log document and about 40 % of the prose documents (stable choice by hash)
    for kind, text in train_docs:
        if kind == "logs" or int(hashlib.md5(text[:200].encode()).hexdigest()[:4], 16) % 100 < 40:
            yield text


if GIVEN:
    tok = Tokenizer.from_file(GIVEN)
    shutil.copyfile(GIVEN, os.path.join(OUT, "tokenizer.json"))
    print("tokenizer taken from %s (sha256 %s)" % (GIVEN, hashlib.sha256(open(GIVEN, "rb").read()).hexdigest()),
          flush=True)
else:
    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=VOCAB, min_frequency=2, special_tokens=[EOT], show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(sample(), trainer=trainer)
    tok.save(os.path.join(OUT, "tokenizer.json"))
    print("tokenizer trained in %.1fs, vocab %d" % (time.time() - t0, tok.get_vocab_size()), flush=True)
eot = tok.token_to_id(EOT)
assert eot == 0 and tok.get_vocab_size() == VOCAB, (eot, tok.get_vocab_size())

encode = getattr(tok, "encode_batch_fast", tok.encode_batch)
counts = {}
for split, items in (("train", train_docs), ("heldout", held_docs)):
    for kind in ("logs", "prose"):
        texts = [t for k, t in items if k == kind]
        parts, nbytes = [], 0
        for i in range(0, len(texts), 512):
            for enc in encode(texts[i:i + 512], add_special_tokens=False):
                parts.append(np.asarray([eot] + enc.ids, dtype=np.uint16))
        nbytes = sum(len(t.encode("utf-8")) for t in texts)
        arr = np.concatenate(parts) if parts else np.zeros(1, np.uint16)
        np.save(os.path.join(OUT, "%s_%s.npy" % (split, kind)), arr)
        counts["%s_%s" % (split, kind)] = {"documents": len(texts), "tokens": int(arr.size), "bytes": nbytes}
        print("%s_%s: %d docs, %d tokens, %d bytes (%.2f bytes/token) at %.1fs" % (
            split, kind, len(texts), arr.size, nbytes, nbytes / max(arr.size, 1), time.time() - t0), flush=True)
with open(os.path.join(OUT, "tokens.json"), "w") as f:
    json.dump(counts, f, indent=1)

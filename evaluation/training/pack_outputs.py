"""Packs BF16 safetensors for the trip back from the GPU machine, and unpacks them here. BF16 weights hardly
compress as they are; split into a plane of low bytes and a plane of high bytes (sign and exponent, which are
few), they compress by about a third with xz.

  python3 pack_outputs.py pack FILE...      writes FILE.planes.xz beside each FILE and removes FILE
  python3 pack_outputs.py unpack FILE...    (FILE ending in .planes.xz) restores the original beside it
  python3 pack_outputs.py to-bf16 SRC DEST  float32 safetensors (e.g. the pre-decay stable-f32.safetensors.bin) to
                                            bfloat16, rounded to nearest even: half the bytes to carry back to the
                                            GPU machine for train.py --init-weights
Standard library and numpy (to-bf16 only).
"""
import lzma, os, struct, sys
from concurrent.futures import ProcessPoolExecutor


def pack(path):
    data = open(path, "rb").read()
    body = struct.pack("<Q", len(data)) + data[0::2] + data[1::2]
    with open(path + ".planes.xz", "wb") as f:
        f.write(lzma.compress(body, preset=6))
    os.remove(path)
    return path, len(data), os.path.getsize(path + ".planes.xz")


def unpack(path):
    body = lzma.decompress(open(path, "rb").read())
    n = struct.unpack("<Q", body[:8])[0]
    half = (n + 1) // 2
    out = bytearray(n)
    out[0::2] = body[8:8 + half]
    out[1::2] = body[8 + half:8 + n]
    dest = path[:-len(".planes.xz")]
    with open(dest, "wb") as f:
        f.write(out)
    return dest, n, os.path.getsize(path)


def to_bf16(src, dest):
    import json
    import numpy as np
    data = open(src, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    header, body = json.loads(data[8:8 + n]), data[8 + n:]
    out, chunks, offset = {}, [], 0
    for name, t in header.items():
        if name == "__metadata__":
            out[name] = t
            continue
        if t["dtype"] != "F32":
            raise SystemExit("%s: %s is %s, not F32" % (src, name, t["dtype"]))
        start, end = t["data_offsets"]
        bits = np.frombuffer(body[start:end], dtype="<u4").astype(np.uint64)
        rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype("<u2").tobytes()
        out[name] = {"dtype": "BF16", "shape": t["shape"], "data_offsets": [offset, offset + len(rounded)]}
        chunks.append(rounded)
        offset += len(rounded)
    head = json.dumps(out).encode()
    head += b" " * (-len(head) % 8)
    with open(dest, "wb") as f:
        f.write(struct.pack("<Q", len(head)) + head)
        for c in chunks:
            f.write(c)
    print("to-bf16 %s -> %s: %d tensors, %d bytes" % (src, dest, len(chunks), 8 + len(head) + offset))


if __name__ == "__main__":
    if sys.argv[1] == "to-bf16":
        to_bf16(sys.argv[2], sys.argv[3])
        sys.exit(0)
    verb, files = sys.argv[1], sys.argv[2:]
    fn = {"pack": pack, "unpack": unpack}[verb]
    with ProcessPoolExecutor(max_workers=max(1, min(16, len(files)))) as ex:
        for p, raw, packed in ex.map(fn, files):
            print("%s %s: %d bytes <-> %d packed" % (verb, p, raw, packed), flush=True)

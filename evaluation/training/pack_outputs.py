"""Packs BF16 safetensors for the trip back from the GPU machine, and unpacks them here. BF16 weights hardly
compress as they are; split into a plane of low bytes and a plane of high bytes (sign and exponent, which are
few), they compress by about a third with xz.

  python3 pack_outputs.py pack FILE...      writes FILE.planes.xz beside each FILE and removes FILE
  python3 pack_outputs.py unpack FILE...    (FILE ending in .planes.xz) restores the original beside it
Standard library only.
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


if __name__ == "__main__":
    verb, files = sys.argv[1], sys.argv[2:]
    fn = {"pack": pack, "unpack": unpack}[verb]
    with ProcessPoolExecutor(max_workers=max(1, min(16, len(files)))) as ex:
        for p, raw, packed in ex.map(fn, files):
            print("%s %s: %d bytes <-> %d packed" % (verb, p, raw, packed), flush=True)

package dev.linnet.engine.tokenizer;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * HF's BPE model for byte-level vocabularies: a piece's UTF-8 bytes start as one symbol each (the
 * vocabulary's byte-level character for that byte), then the adjacent pair with the lowest merge rank is
 * merged, leftmost first among equal ranks, until no pair merges. This is the order HF's priority queue
 * gives; short pieces use a plain array scan, long ones a heap (O(n log n)).
 */
final class BytePairModel {
    /** Pieces up to this many symbols are merged by scanning an array; longer ones with a heap. */
    private static final int SCAN_LIMIT = 96;

    private static final int NO_RANK = Integer.MAX_VALUE;

    private final Map<String, Integer> vocab;
    private final String[] tokens;
    private final int[] byteSymbol = new int[256];
    private final int[] tokenByteLength;
    private final PairMergeTable merges;
    private final boolean ignoreMerges;
    private final int unkId;
    private final boolean fuseUnk;
    private final ShortTokenTable shortTokens;

    /**
     * @param vocab  token string (byte-level characters) to id
     * @param merges pairs of token strings, in rank order
     */
    BytePairModel(
            Map<String, Integer> vocab,
            List<String[]> merges,
            boolean ignoreMerges,
            String unkToken,
            boolean fuseUnk,
            boolean byteFallback) {
        this.vocab = Map.copyOf(vocab);
        int maxId = -1;
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            if (e.getValue() < 0) {
                throw new IllegalArgumentException("model.vocab: token " + RegexSplitPattern.quoted(e.getKey())
                        + " has a negative id " + e.getValue());
            }
            maxId = Math.max(maxId, e.getValue());
        }
        tokens = new String[maxId + 1];
        tokenByteLength = new int[maxId + 1];
        Arrays.fill(tokenByteLength, -1);
        byte[][] rawTokens = new byte[maxId + 1][];
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            tokens[e.getValue()] = e.getKey();
            byte[] raw = ByteLevelAlphabet.toBytes(e.getKey());
            if (raw != null) {
                tokenByteLength[e.getValue()] = raw.length;
                rawTokens[e.getValue()] = raw;
            }
        }
        shortTokens = new ShortTokenTable(rawTokens);
        boolean allBytes = true;
        for (int b = 0; b < 256; b++) {
            Integer id = vocab.get(String.valueOf(ByteLevelAlphabet.charOf(b)));
            byteSymbol[b] = id == null ? -1 : id;
            allBytes &= id != null;
        }
        if (byteFallback && !allBytes) {
            throw new UnsupportedTokenizerFeatureException("model.byte_fallback with a vocabulary that lacks some of"
                    + " the 256 byte-level characters is not supported");
        }
        if (unkToken != null) {
            Integer id = vocab.get(unkToken);
            if (id == null) {
                throw new IllegalArgumentException(
                        "model.unk_token " + RegexSplitPattern.quoted(unkToken) + " is not in model.vocab");
            }
            unkId = id;
        } else {
            unkId = -1;
        }
        this.fuseUnk = fuseUnk;
        this.ignoreMerges = ignoreMerges;
        this.merges = new PairMergeTable(merges.size());
        for (int rank = 0; rank < merges.size(); rank++) {
            String[] m = merges.get(rank);
            Integer a = vocab.get(m[0]);
            Integer b = vocab.get(m[1]);
            Integer ab = vocab.get(m[0] + m[1]);
            String missing = a == null ? m[0] : b == null ? m[1] : ab == null ? m[0] + m[1] : null;
            if (missing != null) {
                throw new IllegalArgumentException("model.merges[" + rank + "] (" + RegexSplitPattern.quoted(m[0]) + " "
                        + RegexSplitPattern.quoted(m[1]) + "): token " + RegexSplitPattern.quoted(missing)
                        + " is not in model.vocab");
            }
            this.merges.put(a, b, rank, ab);
        }
    }

    Integer tokenId(String token) {
        return vocab.get(token);
    }

    /** The token string of an id (byte-level characters), or null if the vocabulary has no such id. */
    String token(int id) {
        return id >= 0 && id < tokens.length ? tokens[id] : null;
    }

    int vocabularySize() {
        return vocab.size();
    }

    int idBound() {
        return tokens.length;
    }

    /**
     * Encodes the UTF-8 bytes of text[start, end) (after one space when {@code prefixSpace}), appending ids
     * and, if {@code lengths} is not null, each token's length in bytes of the piece.
     */
    void encodePiece(
            String text, int start, int end, boolean prefixSpace, BpeWorkspace ws, IntList ids, IntList lengths) {
        boolean cacheable = end - start <= WordCache.MAX_KEY_CHARS;
        int hash = 0;
        if (cacheable) {
            hash = WordCache.hash(text, start, end, prefixSpace);
            int[] cached = ws.cache.get(text, start, end, prefixSpace, hash);
            if (cached != null) {
                ids.addAll(cached);
                if (lengths != null) {
                    for (int id : cached) {
                        lengths.add(tokenByteLength[id]);
                    }
                }
                return;
            }
        }
        int n = writeBytes(text, start, end, prefixSpace, ws);
        int first = ids.size();
        boolean regular = encodeBytes(ws, n, ids, lengths);
        if (cacheable && regular) {
            int[] out = new int[ids.size() - first];
            for (int i = 0; i < out.length; i++) {
                out[i] = ids.get(first + i);
            }
            ws.cache.put(text, start, end, prefixSpace, hash, out);
        }
    }

    /** The piece's UTF-8 bytes into ws.bytes; returns their count. */
    private static int writeBytes(String text, int start, int end, boolean prefixSpace, BpeWorkspace ws) {
        ws.ensureBytes(1 + 3 * (end - start));
        int n = 0;
        if (prefixSpace) {
            ws.bytes[n++] = ' ';
        }
        return Utf8.encode(text, start, end, ws.bytes, n);
    }

    /**
     * BPE on ws.bytes[0, n), appending ids (and lengths). Returns whether every byte had its own vocabulary
     * symbol, so that the lengths follow from the ids (and the result may be cached).
     */
    private boolean encodeBytes(BpeWorkspace ws, int n, IntList ids, IntList lengths) {
        if (ignoreMerges) {
            int whole = n <= ShortTokenTable.MAX_BYTES
                    ? shortTokens.get(ws.bytes, n)
                    : vocab.getOrDefault(ByteLevelAlphabet.toTokenString(ws.bytes, 0, n), -1);
            if (whole >= 0) {
                ids.add(whole);
                if (lengths != null) {
                    lengths.add(n);
                }
                return true;
            }
        }
        int m = initialSymbols(ws, n);
        boolean regular = !ws.missingBytes;
        m = m <= SCAN_LIMIT ? mergeByScan(ws, m) : mergeWithHeap(ws, m);
        ids.addAll(ws.symbols, 0, m);
        if (lengths != null) {
            lengths.addAll(ws.lengths, 0, m);
        }
        return regular;
    }

    /**
     * The ids BPE gives these bytes, by the array scan or by the heap regardless of length (the two must
     * agree; used by tests).
     */
    int[] mergeBytes(byte[] bytes, boolean withHeap) {
        BpeWorkspace ws = new BpeWorkspace(16);
        ws.ensureBytes(bytes.length);
        System.arraycopy(bytes, 0, ws.bytes, 0, bytes.length);
        int m = initialSymbols(ws, bytes.length);
        m = withHeap ? mergeWithHeap(ws, m) : mergeByScan(ws, m);
        return Arrays.copyOf(ws.symbols, m);
    }

    /** One symbol per byte; bytes without a vocabulary entry become unk (fused if asked) or are dropped, as HF does. */
    private int initialSymbols(BpeWorkspace ws, int n) {
        ws.ensureSymbols(n);
        int[] sym = ws.symbols;
        int[] len = ws.lengths;
        byte[] bytes = ws.bytes;
        int m = 0;
        int pendingUnkLength = 0;
        boolean pendingUnkSeen = false;
        for (int i = 0; i < n; i++) {
            int id = byteSymbol[bytes[i] & 0xFF];
            if (id >= 0) {
                if (pendingUnkLength > 0) {
                    sym[m] = unkId;
                    len[m++] = pendingUnkLength;
                    pendingUnkLength = 0;
                }
                sym[m] = id;
                len[m++] = 1;
            } else if (unkId >= 0) {
                pendingUnkSeen = true;
                if (pendingUnkLength > 0 && !fuseUnk) {
                    sym[m] = unkId;
                    len[m++] = pendingUnkLength;
                    pendingUnkLength = 0;
                }
                pendingUnkLength++;
            }
        }
        if (pendingUnkLength > 0) {
            sym[m] = unkId;
            len[m++] = pendingUnkLength;
        }
        ws.missingBytes = m != n || pendingUnkSeen;
        return m;
    }

    /** Lowest rank first, leftmost among equals, by rescanning a rank array: fast for short pieces. */
    private int mergeByScan(BpeWorkspace ws, int m) {
        int[] sym = ws.symbols;
        int[] len = ws.lengths;
        int[] rank = ws.ranks;
        int[] merged = ws.merged;
        for (int i = 0; i + 1 < m; i++) {
            setPair(rank, merged, i, sym[i], sym[i + 1]);
        }
        while (m > 1) {
            int best = NO_RANK;
            int at = -1;
            for (int i = 0; i + 1 < m; i++) {
                if (rank[i] < best) {
                    best = rank[i];
                    at = i;
                }
            }
            if (at < 0) {
                break;
            }
            sym[at] = merged[at];
            len[at] += len[at + 1];
            int tail = m - at - 2;
            System.arraycopy(sym, at + 2, sym, at + 1, tail);
            System.arraycopy(len, at + 2, len, at + 1, tail);
            if (tail > 0) {
                System.arraycopy(rank, at + 2, rank, at + 1, tail - 1);
                System.arraycopy(merged, at + 2, merged, at + 1, tail - 1);
            }
            m--;
            if (at + 1 < m) {
                setPair(rank, merged, at, sym[at], sym[at + 1]);
            }
            if (at > 0) {
                setPair(rank, merged, at - 1, sym[at - 1], sym[at]);
            }
        }
        return m;
    }

    private void setPair(int[] rank, int[] merged, int i, int left, int right) {
        long v = merges.get(left, right);
        if (v < 0) {
            rank[i] = NO_RANK;
        } else {
            rank[i] = (int) (v >>> 32);
            merged[i] = (int) v;
        }
    }

    /** The same order with a binary heap of (rank, position) and a linked list of live symbols. */
    private int mergeWithHeap(BpeWorkspace ws, int m) {
        if (m < 2) {
            return m;
        }
        ws.ensureLinks(m);
        int[] sym = ws.symbols;
        int[] len = ws.lengths;
        int[] next = ws.next;
        int[] prev = ws.prev;
        for (int i = 0; i < m; i++) {
            next[i] = i + 1 < m ? i + 1 : -1;
            prev[i] = i - 1;
        }
        Heap heap = new Heap(ws, m);
        for (int i = 0; i + 1 < m; i++) {
            long v = merges.get(sym[i], sym[i + 1]);
            if (v >= 0) {
                heap.push((v >>> 32) << 32 | i);
            }
        }
        while (!heap.isEmpty()) {
            long top = heap.pop();
            int pos = (int) top;
            int r = (int) (top >>> 32);
            int nx = next[pos];
            if (sym[pos] < 0 || nx < 0) {
                continue;
            }
            long v = merges.get(sym[pos], sym[nx]);
            if (v < 0 || (int) (v >>> 32) != r) {
                continue; // stale: this pair has changed since it was queued
            }
            sym[pos] = (int) v;
            len[pos] += len[nx];
            sym[nx] = -1;
            int after = next[nx];
            next[pos] = after;
            if (after >= 0) {
                prev[after] = pos;
                long w = merges.get(sym[pos], sym[after]);
                if (w >= 0) {
                    heap.push((w >>> 32) << 32 | pos);
                }
            }
            int before = prev[pos];
            if (before >= 0) {
                long w = merges.get(sym[before], sym[pos]);
                if (w >= 0) {
                    heap.push((w >>> 32) << 32 | before);
                }
            }
        }
        int out = 0;
        for (int i = 0; i >= 0; i = next[i]) {
            sym[out] = sym[i];
            len[out] = len[i];
            out++;
        }
        return out;
    }

    /** A min-heap of longs in the workspace's array. */
    private static final class Heap {
        private final BpeWorkspace ws;
        private long[] a;
        private int size;

        Heap(BpeWorkspace ws, int expected) {
            this.ws = ws;
            if (ws.heap.length < expected) {
                ws.heap = new long[expected];
            }
            a = ws.heap;
        }

        boolean isEmpty() {
            return size == 0;
        }

        void push(long v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, a.length * 2 + 16);
                ws.heap = a;
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (a[parent] <= v) {
                    break;
                }
                a[i] = a[parent];
                i = parent;
            }
            a[i] = v;
        }

        long pop() {
            long top = a[0];
            long last = a[--size];
            int i = 0;
            int half = size >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                if (child + 1 < size && a[child + 1] < a[child]) {
                    child++;
                }
                if (last <= a[child]) {
                    break;
                }
                a[i] = a[child];
                i = child;
            }
            a[i] = last;
            return top;
        }
    }
}

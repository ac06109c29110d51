package dev.linnet.engine.tokenizer;

/** One thread's scratch arrays and word cache for BPE; grown on demand, reused across encodings. */
final class BpeWorkspace {
    final WordCache cache;
    byte[] bytes = new byte[256];
    int[] symbols = new int[256];
    int[] lengths = new int[256];
    int[] ranks = new int[256];
    int[] merged = new int[256];
    int[] next = new int[0];
    int[] prev = new int[0];
    long[] heap = new long[0];
    /** Set by the last initial-symbol pass: some byte had no vocabulary symbol (unk or dropped). */
    boolean missingBytes;
    /** Per-byte record spans, for pieces whose alignment is irregular. */
    int[] spanStarts = new int[256];

    int[] spanEnds = new int[256];

    /** The lists an encoding collects tokens in before passing them on (reused: records are many and short). */
    final IntList ids = new IntList(512);

    final IntList starts = new IntList(512);
    final IntList ends = new IntList(512);
    final IntList pieceLengths = new IntList(64);
    /** Set while an encoding uses this workspace (a sink that encodes again in the same thread gets another). */
    boolean inUse;

    BpeWorkspace(int cacheSlots) {
        cache = new WordCache(cacheSlots);
    }

    void ensureBytes(int n) {
        if (bytes.length < n) {
            bytes = new byte[Math.max(n, bytes.length * 2)];
        }
    }

    void ensureSymbols(int n) {
        if (symbols.length < n) {
            int cap = Math.max(n, symbols.length * 2);
            symbols = new int[cap];
            lengths = new int[cap];
            ranks = new int[cap];
            merged = new int[cap];
        }
    }

    void ensureLinks(int n) {
        if (next.length < n) {
            int cap = Math.max(n, next.length * 2);
            next = new int[cap];
            prev = new int[cap];
        }
    }

    void ensureSpans(int n) {
        if (spanStarts.length < n) {
            int cap = Math.max(n, spanStarts.length * 2);
            spanStarts = new int[cap];
            spanEnds = new int[cap];
        }
    }
}

package dev.linnet.engine.tokenizer;

/**
 * One encoding, start to finish, in HF's order: added tokens matched in the raw text; each stretch between
 * them normalized; added tokens matched in the normalized text; each stretch between those pre-tokenized
 * into pieces; each piece encoded by BPE. Keeps the offsets bookkeeping out of the way when none is asked.
 */
final class EncodeRun {
    private final Tokenizer tk;
    private final DecodedText d;
    private final boolean special;
    private final BpeWorkspace ws;
    private final IntList ids;
    private final IntList starts;
    private final IntList ends;
    private final IntList lengths;
    private final OriginalCursor cursor;
    /** Where tokens go, a few hundred at a time. */
    private final TokenSink sink;
    /** Added to offsets passed to the sink: where this text starts in the record (for chunked records). */
    private final int byteBase;
    /** The alignment of the segment being encoded (offsets only). */
    private SegmentAlignment alignment;

    EncodeRun(Tokenizer tk, DecodedText d, EncodeOptions options, BpeWorkspace ws, TokenSink sink, int byteBase) {
        this.tk = tk;
        this.byteBase = byteBase;
        this.d = d;
        this.special = options.recognizeSpecialTokens();
        this.ws = ws;
        this.sink = sink;
        ws.ids.clear();
        ws.starts.clear();
        ws.ends.clear();
        this.ids = ws.ids;
        boolean offsets = options.withOffsets();
        this.starts = offsets ? ws.starts : null;
        this.ends = offsets ? ws.ends : null;
        this.lengths = offsets ? ws.pieceLengths : null;
        this.cursor = offsets ? new OriginalCursor(d) : null;
    }

    /** Encodes the whole text, passing every token to the sink. */
    void run(boolean addTemplate) {
        TemplateTokens template = addTemplate ? tk.template() : TemplateTokens.NONE;
        for (int id : template.prefix()) {
            add(id, 0, 0);
        }
        String text = d.text;
        if (!text.isEmpty()) {
            tk.addedVocabulary().split(text, 0, text.length(), false, special, new AddedVocabulary.SplitSink() {
                @Override
                public void text(int start, int end) {
                    segment(start, end);
                }

                @Override
                public void token(int start, int end, int id) {
                    if (starts == null) {
                        ids.add(id);
                    } else {
                        add(id, cursor.byteOffset(start), cursor.byteOffset(end));
                    }
                    maybeFlush();
                }
            });
        }
        for (int id : template.suffix()) {
            add(id, 0, 0);
        }
        flush();
    }

    private void add(int id, int start, int end) {
        ids.add(id);
        if (starts != null) {
            starts.add(start);
            ends.add(end);
        }
    }

    /** Passes what has been collected to the sink when enough has piled up. */
    private void maybeFlush() {
        if (ids.size() >= 256) {
            flush();
        }
    }

    private void flush() {
        for (int i = 0; i < ids.size(); i++) {
            if (starts == null) {
                sink.token(ids.get(i), -1, -1);
            } else {
                sink.token(ids.get(i), starts.get(i) + byteBase, ends.get(i) + byteBase);
            }
        }
        ids.clear();
        if (starts != null) {
            starts.clear();
            ends.clear();
        }
    }

    /** A stretch of raw text between raw-matched added tokens. */
    private void segment(int dStart, int dEnd) {
        String raw = d.text.substring(dStart, dEnd);
        TextNormalizer normalizer = tk.normalizer();
        String normalized = normalizer == null ? raw : normalizer.normalize(raw);
        if (starts != null) {
            alignment = SegmentAlignment.build(cursor, dStart, dEnd, normalized, normalizer);
        }
        if (normalized.isEmpty()) {
            return;
        }
        AddedVocabulary added = tk.addedVocabulary();
        if (!added.hasNormalizedTokens()) {
            pretokenize(normalized, 0, normalized.length());
            return;
        }
        added.split(normalized, 0, normalized.length(), true, special, new AddedVocabulary.SplitSink() {
            @Override
            public void text(int start, int end) {
                pretokenize(normalized, start, end);
            }

            @Override
            public void token(int start, int end, int id) {
                if (starts == null) {
                    ids.add(id);
                } else {
                    add(id, alignment.byteOffset(start, false), alignment.byteOffset(end, true));
                }
                maybeFlush();
            }
        });
    }

    private void pretokenize(String normalized, int start, int end) {
        BytePairModel model = tk.model();
        if (starts == null) {
            tk.preTokenizer().pretokenize(normalized, start, end, (t, s, e, prefix) -> {
                model.encodePiece(t, s, e, prefix, ws, ids, null);
                maybeFlush();
            });
        } else {
            tk.preTokenizer().pretokenize(normalized, start, end, this::pieceWithOffsets);
        }
    }

    private void pieceWithOffsets(String text, int start, int end, boolean prefix) {
        int first = ids.size();
        lengths.clear();
        tk.model().encodePiece(text, start, end, prefix, ws, ids, lengths);
        int pre = prefix ? 1 : 0;
        int count = ids.size() - first;
        if (alignment.isRegular(start, end)) {
            int base = alignment.byteOffset(start, false);
            int pos = 0;
            for (int k = 0; k < count; k++) {
                int len = lengths.get(k);
                starts.add(base + Math.max(pos - pre, 0));
                ends.add(base + Math.max(pos + len - pre, 0));
                pos += len;
            }
            maybeFlush();
            return;
        }
        int bytes = pre + Utf8.encodedLength(text, start, end);
        ws.ensureSpans(bytes);
        alignment.mapBytes(start, end, pre, ws.spanStarts, ws.spanEnds);
        int pos = 0;
        for (int k = 0; k < count; k++) {
            int len = lengths.get(k);
            starts.add(ws.spanStarts[pos]);
            ends.add(ws.spanEnds[pos + len - 1]);
            pos += len;
        }
        maybeFlush();
    }
}

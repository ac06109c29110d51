package dev.linnet.engine.tokenizer;

/** A {@link TokenSink} that gathers tokens into an {@link Encoding}. */
final class EncodingCollector implements TokenSink {
    private final IntBlocks ids = new IntBlocks();
    private final IntBlocks starts;
    private final IntBlocks ends;

    EncodingCollector(boolean offsets) {
        starts = offsets ? new IntBlocks() : null;
        ends = offsets ? new IntBlocks() : null;
    }

    @Override
    public void token(int id, int start, int end) {
        ids.add(id);
        if (starts != null) {
            starts.add(start);
            ends.add(end);
        }
    }

    Encoding toEncoding(int replacements) {
        return new Encoding(
                ids.toArray(),
                starts == null ? null : starts.toArray(),
                ends == null ? null : ends.toArray(),
                replacements);
    }
}

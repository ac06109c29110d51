package dev.linnet.engine.tokenizer;

import java.util.List;

/** HF's Sequence pre-tokenizer: each step cuts the pieces of the step before. */
final class PreTokenizerSequence implements PreTokenizer {
    private final PreTokenizer first;
    private final PreTokenizer rest;

    private PreTokenizerSequence(PreTokenizer first, PreTokenizer rest) {
        this.first = first;
        this.rest = rest;
    }

    static PreTokenizer of(List<PreTokenizer> steps) {
        if (steps.isEmpty()) {
            return (text, start, end, out) -> out.piece(text, start, end, false);
        }
        PreTokenizer chain = steps.get(steps.size() - 1);
        for (int i = steps.size() - 2; i >= 0; i--) {
            chain = new PreTokenizerSequence(steps.get(i), chain);
        }
        return chain;
    }

    @Override
    public boolean cutsAfterNewline() {
        // later steps only cut pieces further
        return first.cutsAfterNewline() || rest.cutsAfterNewline();
    }

    @Override
    public boolean addsNothing() {
        return first.addsNothing() && rest.addsNothing();
    }

    @Override
    public void pretokenize(String text, int start, int end, PieceSink out) {
        first.pretokenize(text, start, end, (t, s, e, prefix) -> {
            if (prefix) {
                // only ByteLevel adds a prefix space, and the loader keeps it last
                throw new IllegalStateException("a pre-tokenizer after one that adds a prefix space");
            }
            rest.pretokenize(t, s, e, out);
        });
    }
}

package dev.linnet.engine.tokenizer;

/**
 * What a post-processor adds around one encoded sequence when special tokens are to be added
 * (TemplateProcessing's "single" template, RobertaProcessing's {@code <s> ... </s>}).
 */
record TemplateTokens(int[] prefix, int[] suffix) {
    static final TemplateTokens NONE = new TemplateTokens(new int[0], new int[0]);

    /** This template applied around the result of {@code inner} (a Sequence of post-processors). */
    TemplateTokens around(TemplateTokens inner) {
        int[] p = new int[prefix.length + inner.prefix.length];
        System.arraycopy(prefix, 0, p, 0, prefix.length);
        System.arraycopy(inner.prefix, 0, p, prefix.length, inner.prefix.length);
        int[] s = new int[inner.suffix.length + suffix.length];
        System.arraycopy(inner.suffix, 0, s, 0, inner.suffix.length);
        System.arraycopy(suffix, 0, s, inner.suffix.length, suffix.length);
        return new TemplateTokens(p, s);
    }
}

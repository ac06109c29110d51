package dev.linnet.engine.tokenizer;

/**
 * What a Split pre-tokenizer does with the stretches its pattern matches (HF's SplitDelimiterBehavior),
 * shown for "the-final--countdown" split on "-".
 */
enum SplitBehavior {
    /** the, final, countdown */
    REMOVED,
    /** the, -, final, -, -, countdown */
    ISOLATED,
    /** the-, final-, -, countdown */
    MERGED_WITH_PREVIOUS,
    /** the, -final, -, -countdown */
    MERGED_WITH_NEXT,
    /** the, -, final, --, countdown */
    CONTIGUOUS;

    /** The JSON spelling ("Isolated", "MergedWithPrevious"...). */
    static SplitBehavior fromJson(String name) {
        switch (name) {
            case "Removed":
                return REMOVED;
            case "Isolated":
                return ISOLATED;
            case "MergedWithPrevious":
                return MERGED_WITH_PREVIOUS;
            case "MergedWithNext":
                return MERGED_WITH_NEXT;
            case "Contiguous":
                return CONTIGUOUS;
            default:
                throw new UnsupportedTokenizerFeatureException(
                        "Split behavior '" + name
                                + "' is not known (expected Removed, Isolated, MergedWithPrevious, MergedWithNext or Contiguous)");
        }
    }
}

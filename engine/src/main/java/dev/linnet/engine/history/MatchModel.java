package dev.linnet.engine.history;

/**
 * Follows the last place where the stream's recent tokens occurred before and predicts that what followed
 * then follows now: p(t) = q [t = predicted] + (1 - q) p_network(t), with q the hit rate measured so far for
 * matches of the current length (by bit length). Long exact repeats of earlier lines, which a window cannot
 * reach, cost almost nothing.
 */
final class MatchModel {
    private MatchModel() {}

    private static final int SEED = 0x1234567;

    /** The token the pointer predicts for the current position, or -1 when there is none. */
    static int predicted(HistoryState h) {
        int p = peek(h);
        if (p < 0) h.matchPointer = -1; // a pointer the ring has passed is dropped
        return p;
    }

    /** As {@link #predicted}, without forgetting a pointer the ring has passed (for a read-only look ahead). */
    static int peek(HistoryState h) {
        int ringLength = h.ring.length;
        if (h.matchPointer < 0 || h.position - h.matchPointer >= ringLength) return -1;
        return h.ring[(int) (h.matchPointer & (ringLength - 1))];
    }

    /** The weight the match model gives its predicted token now (the hit rate of matches of this length). */
    static double confidence(HistoryState h) {
        int b = bucket(h);
        return (h.matchHits[b] + 1.0) / (h.matchTries[b] + 2.0);
    }

    static int bucket(HistoryState h) {
        return h.matchLength == 0
                ? 0
                : Math.min(HistoryConfig.MATCH_BUCKETS - 1, 32 - Integer.numberOfLeadingZeros(h.matchLength));
    }

    /** The match model's probability of {@code token}; counts the hit or miss. */
    static double predict(HistoryState h, int predicted, int token, double network) {
        if (predicted < 0) return network;
        int b = bucket(h);
        double q = confidence(h);
        if (h.matchTries[b] == Integer.MAX_VALUE - 1) {
            h.matchHits[b] >>>= 1;
            h.matchTries[b] >>>= 1;
        }
        h.matchTries[b]++;
        if (predicted == token) h.matchHits[b]++;
        return q * (predicted == token ? 1.0 : 0.0) + (1 - q) * network;
    }

    /**
     * Moves the pointer on after {@code token} was written at the current position (ring and position already
     * advanced): along the match, or on past a miss for a while, or to where the newest context last occurred.
     */
    static void advance(HistoryState h, HistoryConfig cfg, int predicted, int token) {
        if (h.matchPointer >= 0 && predicted == token) {
            h.matchPointer++;
            h.matchLength++;
        } else if (h.matchPointer >= 0 && cfg.stickyMisses() > 0) {
            h.matchPointer++;
            h.matchLength = 0;
            if (++h.matchMisses > cfg.stickyMisses()) h.matchPointer = -1;
        } else {
            h.matchLength = 0;
            h.matchPointer = -1;
        }
        int k = cfg.matchOrder();
        if (h.position < k) return;
        int r = ContextCounts.hash(h.ring, h.position, k, SEED) & (h.index.length - 1);
        int here = (int) (h.position & 0x7fffffff); // position + 1 of the token just written, mod 2^31
        int then = h.index[r];
        if ((h.matchPointer < 0 || h.matchLength == 0) && then != 0) {
            int distance = (here - then) & 0x7fffffff;
            if (distance > 0 && distance < h.ring.length) {
                h.matchPointer = h.position - distance;
                h.matchLength = 1;
                h.matchMisses = 0;
            }
        }
        h.index[r] = here == 0 ? 1 : here;
        h.touchIndex(r);
    }
}

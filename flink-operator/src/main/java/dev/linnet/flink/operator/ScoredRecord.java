package dev.linnet.flink.operator;

import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;

/**
 * What the scorer says about one input record, given everything its stream has seen before it.
 * Surprisal is -ln p(token | stream so far) in nats per token; the very first token of a stream has none
 * (nothing predicts it) and is left out of the mean, the max and the top list.
 *
 * <p>A POJO (public fields, no-argument constructor) so Flink serializes it without Kryo.
 */
@PublicEvolving
public final class ScoredRecord {
    public String key;
    /** The input's record id, or null when it had none. */
    public String recordId;
    /** Tokens of the stream before this record: the position of the record's first token. */
    public long streamOffset;
    /** Tokens of this record that went through the model. */
    public int tokens;
    /** True when the record was longer than the per-record limit and its tail was cut off. */
    public boolean truncated;
    /** Mean surprisal over the record's predicted tokens; NaN when none was predicted. */
    public double meanSurprisal;
    /** Highest surprisal among them; NaN when none was predicted. */
    public float maxSurprisal;
    /** Positions within the record of the most surprising tokens, most surprising first (ties: earlier first). */
    public int[] topPositions;
    /** Their surprisals, same order. */
    public float[] topSurprisals;
    /** Final hidden state after the record's last token (the stream's embedding); null unless asked for. */
    public float[] embedding;
    /** Tokens the stream has seen, this record included. */
    public long tokensSeen;

    public ScoredRecord() {}

    /** Equality of every field, floats compared bit for bit (NaN equals NaN). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ScoredRecord)) {
            return false;
        }
        ScoredRecord r = (ScoredRecord) o;
        return Objects.equals(key, r.key)
                && Objects.equals(recordId, r.recordId)
                && streamOffset == r.streamOffset
                && tokens == r.tokens
                && truncated == r.truncated
                && Double.doubleToLongBits(meanSurprisal) == Double.doubleToLongBits(r.meanSurprisal)
                && Float.floatToIntBits(maxSurprisal) == Float.floatToIntBits(r.maxSurprisal)
                && Arrays.equals(topPositions, r.topPositions)
                && Arrays.equals(topSurprisals, r.topSurprisals)
                && Arrays.equals(embedding, r.embedding)
                && tokensSeen == r.tokensSeen;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, recordId, streamOffset, tokens, tokensSeen);
    }

    @Override
    public String toString() {
        return "ScoredRecord{key=" + key + ", recordId=" + recordId + ", offset=" + streamOffset + ", tokens=" + tokens
                + (truncated ? " (truncated)" : "") + ", mean=" + meanSurprisal + ", max=" + maxSurprisal + ", top="
                + Arrays.toString(topPositions) + ", seen=" + tokensSeen + "}";
    }
}

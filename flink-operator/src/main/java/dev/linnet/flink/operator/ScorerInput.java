package dev.linnet.flink.operator;

import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;

/**
 * One record of a stream: the stream's key, an optional id of the record (echoed in the output, e.g. a
 * Kafka partition/offset), and its payload as token ids. Event time, when there is one, travels as the
 * Flink record's timestamp. A record is the unit of chunking: its tokens always go through the model as one
 * chunk, after all earlier records of its key.
 *
 * <p>A public class with public fields and a no-argument constructor, so Flink serializes it as a POJO.
 */
@PublicEvolving
public final class ScorerInput {
    /** The stream this record belongs to (what the job keys by). */
    public String key;
    /** Echoed into the output; may be null. */
    public String recordId;
    /** Token ids of the model's vocabulary. */
    public int[] tokens;

    public ScorerInput() {}

    public ScorerInput(String key, String recordId, int[] tokens) {
        this.key = key;
        this.recordId = recordId;
        this.tokens = tokens;
    }

    public String getKey() {
        return key;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ScorerInput)) {
            return false;
        }
        ScorerInput other = (ScorerInput) o;
        return Objects.equals(key, other.key)
                && Objects.equals(recordId, other.recordId)
                && Arrays.equals(tokens, other.tokens);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, recordId) * 31 + Arrays.hashCode(tokens);
    }

    @Override
    public String toString() {
        return "ScorerInput{key=" + key + ", recordId=" + recordId + ", tokens="
                + (tokens == null ? "null" : tokens.length) + "}";
    }
}

package dev.linnet.flink.sql;

import dev.linnet.engine.model.Model;
import dev.linnet.engine.state.StateCodec;
import dev.linnet.engine.state.StatePrecision;
import dev.linnet.engine.state.StreamState;
import dev.linnet.flink.operator.LinnetMetrics;
import dev.linnet.flink.operator.ModelChangePolicy;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The PTF's view of its partitions' stream states: Flink state holds each partition's state as the engine's
 * {@link StateCodec} bytes; this keeps the decoded states of recently seen partitions in memory (least recently
 * used go first), each with the very bytes it was last stored as.
 *
 * <p>A decoded state is reused only while Flink still holds exactly those bytes (the same array on the heap
 * backend, equal contents on RocksDB); anything else (a restore, a TTL expiry) is decoded afresh. So reuse
 * can never resume a stream from anything but its stored state, and every record is still written back to
 * Flink state before the function returns, which is what makes checkpoints exactly-once without a flush hook.
 */
final class PartitionStates {

    private static final int FINGERPRINT_OFFSET = 8;
    private static final int FINGERPRINT_BYTES = 32;
    private static final int MAGIC = 0x54534e4c; // "LNST", the codec's first four bytes read little-endian

    private record Decoded(StreamState state, byte[] storedAs) {}

    private final Model model;
    private final StateCodec codec;
    private final ModelChangePolicy onModelChange;
    private final LinnetMetrics metrics;
    private final LinkedHashMap<Object, Decoded> cache;

    PartitionStates(
            Model model,
            StatePrecision precision,
            ModelChangePolicy onModelChange,
            int maxCached,
            LinnetMetrics metrics) {
        this.model = model;
        this.codec = model.stateCodec(precision);
        this.onModelChange = onModelChange;
        this.metrics = metrics;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Decoded> eldest) {
                return size() > maxCached;
            }
        };
    }

    /**
     * The state of partition {@code key} to advance, given what Flink state holds for it (null: a new stream,
     * or one forgotten by TTL). The caller owns it until {@link #store}.
     *
     * @throws IllegalStateException when the stored state belongs to another model and the policy is FAIL
     */
    StreamState load(Object key, byte[] stored) {
        if (stored == null) {
            cache.remove(key);
            return model.newState();
        }
        // taken out while the caller advances it: a record that fails half-way never leaves a changed state behind
        Decoded d = cache.remove(key);
        if (d != null && (d.storedAs == stored || Arrays.equals(d.storedAs, stored))) {
            metrics.cacheHits.inc();
            return d.state;
        }
        metrics.cacheMisses.inc();
        String writtenUnder = fingerprintOf(stored);
        if (writtenUnder != null && !writtenUnder.equalsIgnoreCase(codec.modelFingerprint())) {
            if (onModelChange == ModelChangePolicy.RESET) {
                metrics.streamsReset.inc();
                return model.newState();
            }
            throw new IllegalStateException(
                    "LINNET_SCORE: the stream state of partition " + key
                            + " was written under another model (fingerprint " + writtenUnder.substring(0, 12)
                            + "…, this job runs "
                            + codec.modelFingerprint().substring(0, 12)
                            + "…). Run with the model that wrote the state, start "
                            + "without that savepoint, or SET 'linnet.state.on-model-change' = 'RESET' to begin such streams afresh.");
        }
        // a corrupt value fails here with the codec's message
        return codec.decode(stored);
    }

    /** Encodes the advanced state for Flink state, remembering it decoded; rounds it as stored (bfloat16). */
    byte[] store(Object key, StreamState advanced) {
        byte[] bytes = codec.encode(advanced);
        codec.roundInPlace(advanced);
        cache.put(key, new Decoded(advanced, bytes));
        metrics.stateBytes.update(bytes.length);
        metrics.stateBytesWritten.inc(bytes.length);
        return bytes;
    }

    int cached() {
        return cache.size();
    }

    /** The model fingerprint in a stored value's header, or null when it is too short or not a Linnet state. */
    private static String fingerprintOf(byte[] stored) {
        if (stored.length < FINGERPRINT_OFFSET + FINGERPRINT_BYTES) {
            return null;
        }
        int magic = (stored[0] & 0xff) | (stored[1] & 0xff) << 8 | (stored[2] & 0xff) << 16 | (stored[3] & 0xff) << 24;
        if (magic != MAGIC) {
            return null;
        }
        return HexFormat.of().formatHex(stored, FINGERPRINT_OFFSET, FINGERPRINT_OFFSET + FINGERPRINT_BYTES);
    }
}

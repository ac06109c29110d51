package dev.linnet.flink.operator;

import dev.linnet.engine.state.MissingPageException;
import dev.linnet.engine.state.StatePages;
import dev.linnet.engine.state.StreamState;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;

/**
 * A key's stream state kept as {@link StatePages} in two keyed states: the head in a value state, the other pages
 * in a map state by page number. A flush writes the head and the pages its records changed, so a record writes
 * about what it changed (the lightning matrices, a few ring blocks, the history pages its tokens touched) instead
 * of the whole state.
 *
 * <p>With a state TTL the head expires after the TTL, as a whole state would, and pages after twice the TTL; every
 * page is rewritten when the last such rewrite is half a TTL old (its time is in the head). So while the head
 * lives, every page it names lives too, and once the head has expired the stream starts afresh. Should a page
 * named by a living head be missing all the same, the stream starts afresh too and is counted in
 * {@code linnet.numStreamsExpired}: never a state with a hole in it.
 */
final class PagedStateStore {
    static final String HEAD_NAME = "linnet-stream-head";
    static final String PAGES_NAME = "linnet-stream-pages";

    /** The refresh time of a state that must be written as every page: it was stored in the other layout. */
    static final long WRITE_EVERY_PAGE = -1;

    private final StatePages pages;
    private final ValueState<byte[]> head;
    private final MapState<Integer, byte[]> stored;
    private final long ttlMillis;

    PagedStateStore(StatePages pages, ValueState<byte[]> head, MapState<Integer, byte[]> stored, Duration ttl) {
        this.pages = pages;
        this.head = head;
        this.stored = stored;
        this.ttlMillis = ttl == null ? 0 : ttl.toMillis();
    }

    static ValueStateDescriptor<byte[]> headDescriptor(Duration ttl) {
        return StreamTtl.apply(new ValueStateDescriptor<>(HEAD_NAME, BytePrimitiveArraySerializer.INSTANCE), ttl);
    }

    static MapStateDescriptor<Integer, byte[]> pagesDescriptor(Duration ttl) {
        return StreamTtl.apply(
                new MapStateDescriptor<>(PAGES_NAME, IntSerializer.INSTANCE, BytePrimitiveArraySerializer.INSTANCE),
                ttl == null ? null : ttl.multipliedBy(2));
    }

    /** A read of the current key: its state (null for none), and when all its pages were last written together. */
    record Read(StreamState state, long refreshedAt, boolean expired) {}

    /**
     * The current key's state. A head of another model or a corrupt page throws {@code StateFormatException};
     * a page missing under a living head gives an expired read, and the key's pages are cleared.
     */
    Read read() throws Exception {
        byte[] h = head.value();
        if (h == null) return new Read(null, 0, false);
        String writer = StatePages.writer(h);
        if (writer != null && !writer.equalsIgnoreCase(pages.modelFingerprint())) {
            throw new ForeignState(writer);
        }
        Map<Integer, byte[]> all = new HashMap<>();
        for (Map.Entry<Integer, byte[]> e : stored.entries()) all.put(e.getKey(), e.getValue());
        try {
            StreamState s = pages.read(h, all);
            return new Read(s, pages.refreshedAt(h), false);
        } catch (MissingPageException e) {
            clear();
            return new Read(null, 0, true);
        }
    }

    /**
     * Writes the current key's state: the head and what changed since it had {@code seenBefore} tokens, or every
     * page when the refresh is due (or {@code refreshedAt} is {@link #WRITE_EVERY_PAGE}).
     *
     * @return the bytes written and the refresh time to pass to the next write
     */
    Written write(StreamState s, long seenBefore, long refreshedAt, long now) throws Exception {
        StatePages.Write which;
        if (refreshedAt == WRITE_EVERY_PAGE) {
            which = StatePages.Write.EVERY;
        } else if (ttlMillis > 0 && now - refreshedAt > ttlMillis / 2) {
            which = StatePages.Write.PRESENT;
        } else {
            which = StatePages.Write.CHANGED;
        }
        long refreshed = which == StatePages.Write.CHANGED ? refreshedAt : now;
        long bytes = pages.write(s, seenBefore, which, refreshed, (page, encoded) -> {
            if (page == 0) {
                head.update(encoded);
            } else {
                stored.put(page, encoded);
            }
        });
        return new Written(bytes, refreshed);
    }

    /** What a {@link #write} wrote: its bytes (head and pages) and the refresh time for the next write. */
    record Written(long bytes, long refreshedAt) {}

    /** The current key's state was written under another model (its fingerprint given). */
    static final class ForeignState extends Exception {
        final String writer;

        ForeignState(String writer) {
            super("stream state written under model " + writer);
            this.writer = writer;
        }
    }

    /** Removes the current key's head and pages. */
    void clear() {
        head.clear();
        stored.clear();
    }
}

package dev.linnet.flink.operator;

import dev.linnet.engine.state.StreamState;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Decoded stream states of recently active keys, in operator memory, least recently used first. Entries are
 * only ever evicted after a flush has written them to Flink state, so the cache never holds the only copy
 * of an update. It is emptied on restore (a new operator instance starts with an empty cache).
 *
 * <p>With a state TTL, an entry is good only while Flink's copy is certainly alive: until {@code ttl} after
 * the time taken just before its last write (Flink stamps the write a moment later, so its copy lives at least
 * as long). Past that the entry is dropped and the state read from Flink, which decides whether it expired; so
 * an idle stream starts afresh exactly as it would with no cache, or after a restore.
 */
final class StateCache {

    private static final class Entry {
        final StreamState state;
        /** Millis on the TTL clock from which the entry must not be used; Long.MAX_VALUE until written or with no TTL. */
        long freshUntil = Long.MAX_VALUE;
        /** What the store needs for its next write of this state (the paged layout's refresh time). */
        long storeMark;

        Entry(StreamState state, long storeMark) {
            this.state = state;
            this.storeMark = storeMark;
        }
    }

    private final int maxStates;
    private final long ttlMillis;
    private final LinkedHashMap<Object, Entry> states = new LinkedHashMap<>(16, 0.75f, true);

    /** @param ttlMillis the state TTL in milliseconds, 0 for none */
    StateCache(int maxStates, long ttlMillis) {
        if (ttlMillis < 0) throw new IllegalArgumentException("ttl must be >= 0 ms, got " + ttlMillis);
        this.maxStates = maxStates;
        this.ttlMillis = ttlMillis;
    }

    /** The cached state of {@code key} (marking it recently used), or null, also when it may have expired by now. */
    StreamState get(Object key, long nowMillis) {
        Entry e = states.get(key);
        if (e == null) return null;
        if (nowMillis >= e.freshUntil) {
            states.remove(key);
            return null;
        }
        return e.state;
    }

    void put(Object key, StreamState state) {
        put(key, state, 0);
    }

    /** Caches {@code state} with what its store needs for the next write ({@link #storeMark}). */
    void put(Object key, StreamState state, long storeMark) {
        states.put(key, new Entry(state, storeMark));
    }

    /** The store's mark of a cached key (0 when not cached). */
    long storeMark(Object key) {
        Entry e = states.get(key);
        return e == null ? 0 : e.storeMark;
    }

    void setStoreMark(Object key, long mark) {
        Entry e = states.get(key);
        if (e != null) e.storeMark = mark;
    }

    /** Records that {@code key}'s state was written to Flink state no earlier than {@code writtenAtMillis}. */
    void written(Object key, long writtenAtMillis) {
        Entry e = states.get(key);
        if (e != null && ttlMillis > 0) {
            e.freshUntil = writtenAtMillis + ttlMillis;
        }
    }

    int size() {
        return states.size();
    }

    /** Evicts least recently used states beyond the limit, never one of {@code keep}. */
    void trim(Set<Object> keep) {
        Iterator<Map.Entry<Object, Entry>> it = states.entrySet().iterator();
        while (states.size() > maxStates && it.hasNext()) {
            if (!keep.contains(it.next().getKey())) {
                it.remove();
            }
        }
    }
}

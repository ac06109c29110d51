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
 */
final class StateCache {

    private final int maxStates;
    private final LinkedHashMap<Object, StreamState> states = new LinkedHashMap<>(16, 0.75f, true);

    StateCache(int maxStates) {
        this.maxStates = maxStates;
    }

    /** The cached state of {@code key} (marking it recently used), or null. */
    StreamState get(Object key) {
        return states.get(key);
    }

    void put(Object key, StreamState state) {
        states.put(key, state);
    }

    int size() {
        return states.size();
    }

    /** Evicts least recently used states beyond the limit, never one of {@code keep}. */
    void trim(Set<Object> keep) {
        Iterator<Map.Entry<Object, StreamState>> it = states.entrySet().iterator();
        while (states.size() > maxStates && it.hasNext()) {
            if (!keep.contains(it.next().getKey())) {
                it.remove();
            }
        }
    }
}

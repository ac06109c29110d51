package dev.linnet.flink.operator;

/**
 * How many decoded states one scorer may hold: three quarters of the JVM's heap shared among the TaskManager's
 * slots, split between the cache ({@code linnet.cache.max-states}, lowered to its share) and the states a flush
 * decodes beside it (one per distinct key buffered, so a flush is started before the buffer holds more keys than
 * that). A model's decoded state is megabytes (the default model's 5.86 MB with its history): with many keys
 * nearly every key of a flush misses the cache, so a flush of a few hundred keys holds as many states again as
 * the cache, and a cache sized for the whole share ran a TaskManager out of heap at 10,000 keys.
 */
final class CacheBudget {
    private CacheBudget() {}

    /** Share of the heap the slots' states may take together; the rest is the model, Flink and working room. */
    static final double HEAP_SHARE = 0.75;
    /** Of a slot's states, the cache's share; the rest is for the keys of one flush. */
    static final double CACHE_SHARE = 0.75;

    /**
     * @param configured  the configured most states
     * @param stateBytes  bytes of one decoded state
     * @param maxHeap     the JVM's maximum heap ({@code Runtime.maxMemory()})
     * @param slots       task slots sharing this JVM (each may run a scorer)
     * @return at least one state, at most {@code configured}
     */
    static int states(int configured, long stateBytes, long maxHeap, int slots) {
        if (configured < 1) throw new IllegalArgumentException("a cache of " + configured + " states");
        return (int) Math.max(1, Math.min(configured, (long) (fits(stateBytes, maxHeap, slots) * CACHE_SHARE)));
    }

    /**
     * The most distinct keys one flush may hold beside a cache of {@code cached} states: what remains of the
     * slot's share, at least one.
     */
    static int flushKeys(int cached, long stateBytes, long maxHeap, int slots) {
        long rest = fits(stateBytes, maxHeap, slots) - cached;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, rest));
    }

    /** Decoded states one slot's share of the heap holds. */
    private static long fits(long stateBytes, long maxHeap, int slots) {
        if (stateBytes < 1 || maxHeap < 1 || slots < 1) {
            throw new IllegalArgumentException(
                    "states of " + stateBytes + " bytes in a heap of " + maxHeap + " bytes over " + slots + " slots");
        }
        return (long) (maxHeap * HEAP_SHARE) / slots / stateBytes;
    }
}

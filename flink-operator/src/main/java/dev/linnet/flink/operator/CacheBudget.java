package dev.linnet.flink.operator;

/**
 * How many decoded states one scorer may cache: the configured {@code linnet.cache.max-states}, but never more
 * than three quarters of the JVM's heap shared among the TaskManager's slots allows. A model's decoded state is megabytes
 * (the default model's 5.86 MB with its history), so a cache sized for a smaller model, or the default of 1024,
 * would otherwise run a small TaskManager out of heap once enough keys are live.
 */
final class CacheBudget {
    private CacheBudget() {}

    /** Share of the heap the slots' caches may take together; the rest is the model, Flink and working room. */
    static final double HEAP_SHARE = 0.75;

    /**
     * @param configured  the configured most states
     * @param stateBytes  bytes of one decoded state
     * @param maxHeap     the JVM's maximum heap ({@code Runtime.maxMemory()})
     * @param slots       task slots sharing this JVM (each may run a scorer)
     * @return at least one state, at most {@code configured}
     */
    static int states(int configured, long stateBytes, long maxHeap, int slots) {
        if (configured < 1 || stateBytes < 1 || maxHeap < 1 || slots < 1) {
            throw new IllegalArgumentException("cache budget of " + configured + " states of " + stateBytes
                    + " bytes in a heap of " + maxHeap + " bytes over " + slots + " slots");
        }
        long fits = (long) (maxHeap * HEAP_SHARE) / slots / stateBytes;
        return (int) Math.max(1, Math.min(configured, fits));
    }
}

package dev.linnet.flink.cluster;

import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * The cluster test's clock. Waiting for answers is judged by progress, not by a fixed time: a wait fails when the
 * count has not grown for {@code stallLimit} (the job is stuck, or lost input), and every wait ends at the run's
 * overall deadline. So a slow machine gets the time it needs while the job keeps moving, and a stuck run still
 * fails within bounds. Progress is logged as it goes, with the rate, so a slow run shows where its time went.
 */
final class ProgressWait {

    private static final long LOG_EVERY_NANOS = Duration.ofSeconds(15).toNanos();

    private final long started = System.nanoTime();
    private final long deadline;
    private final Duration overall;
    private final Duration stallLimit;

    ProgressWait(Duration overall, Duration stallLimit) {
        this.overall = overall;
        this.stallLimit = stallLimit;
        this.deadline = started + overall.toNanos();
    }

    /** The shorter of {@code limit} and the time left before the overall deadline (at least one second). */
    Duration atMost(Duration limit) {
        long left = Math.max(Duration.ofSeconds(1).toNanos(), deadline - System.nanoTime());
        return Duration.ofNanos(Math.min(limit.toNanos(), left));
    }

    /**
     * Waits until {@code count} reaches {@code target}. Calls {@code health} on every poll (it throws when the job has
     * failed for good).
     *
     * @throws IllegalStateException when the count stalls for the stall limit or the overall deadline passes
     */
    void awaitCount(String what, int target, IntSupplier count, Runnable health) {
        long waitStarted = System.nanoTime();
        int first = count.getAsInt();
        int last = first;
        long lastGrowth = waitStarted;
        long lastLog = waitStarted;
        while (last < target) {
            long now = System.nanoTime();
            if (now - lastGrowth > stallLimit.toNanos()) {
                throw new IllegalStateException(what + ": stuck at " + last + " of " + target + ", no progress for "
                        + stallLimit.toSeconds() + " s");
            }
            if (now > deadline) {
                throw new IllegalStateException(what + ": " + last + " of " + target
                        + " when the run's overall limit of " + overall.toMinutes() + " min ran out");
            }
            health.run();
            if (now - lastLog > LOG_EVERY_NANOS) {
                log(String.format(
                        "%s: %d of %d (%.1f per second in this wait)",
                        what, last, target, (last - first) / ((now - waitStarted) / 1e9)));
                lastLog = now;
            }
            FlinkRest.sleep(250);
            int current = count.getAsInt();
            if (current > last) {
                last = current;
                lastGrowth = System.nanoTime();
            }
        }
        log(String.format("%s: %d of %d after %.1f s", what, last, target, (System.nanoTime() - waitStarted) / 1e9));
    }

    void log(String message) {
        System.out.printf("[cluster-it %5.1f s] %s%n", (System.nanoTime() - started) / 1e9, message);
    }
}

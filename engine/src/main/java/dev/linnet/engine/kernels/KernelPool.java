package dev.linnet.engine.kernels;

/**
 * The lifetime and size of the kernels' helper threads, for a process that runs the engine for others and
 * must give its threads back (a Flink TaskManager runs many jobs, one after the other, in one JVM).
 *
 * <p>Each user (an operator instance, a function instance) {@link #join joins} with the threads one of its
 * kernel calls may use, its own thread included, and {@link User#close closes} when done. While users are
 * registered, a call uses up to the largest of their counts, and there are as many helper threads as the users'
 * counts less one each, added up (at most the cores less one); when the last user closes, every helper thread
 * stops. {@link #stopWhenUnused} also stops the helpers that a caller with no user started.
 *
 * <p>Without any user, as in a command-line run, the kernels use {@code -Dlinnet.threads} threads per call
 * (default: every core) and start their helpers on the first parallel call. The number of threads never
 * changes a result: each output element is computed by one task in the canonical order, whatever thread runs
 * it.
 */
public final class KernelPool {

    private KernelPool() {}

    /**
     * Registers a user whose kernel calls may use up to {@code threads} threads, the calling one included.
     *
     * @throws IllegalArgumentException when threads is below 1
     */
    public static User join(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        User u = new User(threads);
        KernelThreads.join(u);
        return u;
    }

    /**
     * Stops every helper thread if no user is registered (helpers started by calls with no user included);
     * a later parallel call starts them again. Returns whether no user was registered.
     */
    public static boolean stopWhenUnused() {
        return KernelThreads.stopWhenUnused();
    }

    /** Helper threads alive now (for tests and diagnostics). */
    public static int helperThreads() {
        return KernelThreads.helpers();
    }

    /** How many threads one kernel call may use now, the caller included. */
    public static int threadsPerCall() {
        return KernelThreads.parallelism();
    }

    /** One registered user; close it exactly when done (closing again does nothing). */
    public static final class User implements AutoCloseable {
        private final int threads;
        private boolean closed;

        private User(int threads) {
            this.threads = threads;
        }

        /** The threads one of this user's calls may use, its own included. */
        public int threads() {
            return threads;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            KernelThreads.leave(this);
        }
    }
}

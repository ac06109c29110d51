package dev.linnet.engine.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker threads of the kernels: daemon helper threads that join the calling thread in a parallel call.
 * The calling thread always works too and picks tasks from the same counter, so a call finishes even when
 * every helper is busy with other callers, or has been stopped. Which thread runs a task never changes its
 * result: kernels give each output element to exactly one task, summed in the canonical order.
 *
 * <p>Two ways to be sized. With no {@link KernelPool} user, a call uses up to {@code -Dlinnet.threads=N}
 * threads (default: every core the JVM sees; 1 means never use another thread), and the helpers are started on
 * the first parallel call and kept until {@link #stopWhenUnused()}. While users are registered
 * ({@link #join}), a call uses up to the largest of their thread counts, and the helpers number the sum of
 * each user's count less its own thread (at most the cores less one); when the last user leaves, every helper
 * stops. A helper with no work spins briefly, then parks; a caller waiting for the last tasks of its call does the
 * same.
 */
final class KernelThreads {
    private static final Logger LOG = LoggerFactory.getLogger(KernelThreads.class);

    private static final int CORES = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static final int UNMANAGED = configured();
    /** How long a joining helper waits for a stopped helper to finish its current task. */
    private static final long STOP_WAIT_MILLIS = 10_000;

    private static final Object LOCK = new Object();
    /** The registered users' thread counts (guarded by LOCK). */
    private static final List<KernelPool.User> USERS = new ArrayList<>();
    /** Live helpers (guarded by LOCK). */
    private static final List<Helper> HELPERS = new ArrayList<>();
    /** Whether the helpers match the current sizing; false until the first parallel call with no user. */
    private static volatile boolean sized;

    private static volatile int parallelism = UNMANAGED;
    private static final AtomicInteger NAMES = new AtomicInteger();

    private KernelThreads() {}

    /** How many threads one call may use, the caller included. */
    static int parallelism() {
        return parallelism;
    }

    /** Runs body.accept(i) once for every i in [0, tasks), on up to {@link #parallelism()} threads. */
    static void forEach(int tasks, IntConsumer body) {
        if (tasks <= 0) {
            return;
        }
        int p = parallelism;
        if (tasks == 1 || p == 1) {
            for (int i = 0; i < tasks; i++) {
                body.accept(i);
            }
            return;
        }
        if (!sized) {
            synchronized (LOCK) {
                resize();
            }
        }
        Run run = new Run(tasks, body);
        Pool.offer(run, Math.min(p - 1, tasks - 1));
        run.run();
        run.await();
    }

    /** Registers a user; see {@link KernelPool#join}. */
    static void join(KernelPool.User user) {
        synchronized (LOCK) {
            USERS.add(user);
            resize();
        }
    }

    /** Removes a registered user; the last one out stops every helper. */
    static void leave(KernelPool.User user) {
        synchronized (LOCK) {
            if (!USERS.remove(user)) {
                return;
            }
            if (USERS.isEmpty()) {
                stopAll();
            } else {
                resize();
            }
        }
    }

    /** Stops every helper when no user is registered; see {@link KernelPool#stopWhenUnused}. */
    static boolean stopWhenUnused() {
        synchronized (LOCK) {
            if (!USERS.isEmpty()) {
                return false;
            }
            stopAll();
            return true;
        }
    }

    /** Live helper threads. */
    static int helpers() {
        synchronized (LOCK) {
            return HELPERS.size();
        }
    }

    /** Sets parallelism and the helper count for the current users (or none); holds LOCK. */
    private static void resize() {
        int p;
        int target;
        if (USERS.isEmpty()) {
            p = UNMANAGED;
            target = UNMANAGED - 1;
        } else {
            p = 1;
            long helpers = 0;
            for (KernelPool.User u : USERS) {
                p = Math.max(p, u.threads());
                helpers += u.threads() - 1;
            }
            target = (int) Math.min(helpers, CORES - 1);
        }
        int before = HELPERS.size();
        while (HELPERS.size() < target) {
            Helper h = new Helper("linnet-kernel-" + NAMES.incrementAndGet());
            HELPERS.add(h);
            h.thread.start();
        }
        List<Helper> stopped = new ArrayList<>();
        while (HELPERS.size() > target) {
            stopped.add(HELPERS.remove(HELPERS.size() - 1));
        }
        stopAndWait(stopped);
        parallelism = p;
        sized = true;
        if (before != HELPERS.size()) {
            LOG.debug("Linnet kernels: {} threads per call, {} helper threads", p, HELPERS.size());
        }
    }

    /** Stops every helper and forgets the sizing (the next parallel call with no user starts them again). */
    private static void stopAll() {
        List<Helper> stopped = new ArrayList<>(HELPERS);
        HELPERS.clear();
        stopAndWait(stopped);
        // runs offered to helpers that never took them: their callers finish them, the queue need not hold them
        Pool.PENDING.clear();
        parallelism = UNMANAGED;
        sized = false;
        if (!stopped.isEmpty()) {
            LOG.debug("Linnet kernels: stopped {} helper threads", stopped.size());
        }
    }

    private static void stopAndWait(List<Helper> stopped) {
        for (Helper h : stopped) {
            h.stop = true;
            LockSupport.unpark(h.thread);
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MILLIS);
        for (Helper h : stopped) {
            long left = deadline - System.nanoTime();
            if (h.thread == Thread.currentThread() || left <= 0) {
                continue;
            }
            try {
                h.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                interrupted = true; // keep stopping the others; a helper still running exits after its task
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static int configured() {
        String value = System.getProperty("linnet.threads");
        if (value == null || value.isBlank()) {
            return CORES;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 1) {
                throw new IllegalArgumentException("linnet.threads must be >= 1, got " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("linnet.threads must be a whole number, got '" + value + "'", e);
        }
    }

    /**
     * The queue of offered runs. A helper that finds no work spins briefly before it parks: a forward pass makes
     * hundreds of parallel calls a second with short single-threaded stretches between them, and waking a parked
     * thread for each call cost the second core a good part of its time.
     */
    private static final class Pool {
        private static final long SPIN_NANOS = 50_000;
        static final ConcurrentLinkedQueue<Run> PENDING = new ConcurrentLinkedQueue<>();
        static final ConcurrentLinkedQueue<Thread> PARKED = new ConcurrentLinkedQueue<>();

        /** Offers the run to {@code helpers} helpers (each copy lets one more thread join it). */
        static void offer(Run run, int helpers) {
            for (int h = 0; h < helpers; h++) {
                PENDING.offer(run);
            }
            for (int h = 0; h < helpers; h++) {
                Thread t = PARKED.poll();
                if (t == null) {
                    break;
                }
                LockSupport.unpark(t);
            }
        }
    }

    /** One helper thread; it leaves its loop once {@link #stop} is set (and it is unparked). */
    private static final class Helper implements Runnable {
        final Thread thread;
        volatile boolean stop;

        Helper(String name) {
            // no inherited thread locals from the (task) thread that happens to start it; the engine's own class
            // loader as context, not the caller's
            thread = new Thread(null, this, name, 0, false);
            thread.setDaemon(true);
            thread.setContextClassLoader(KernelThreads.class.getClassLoader());
        }

        @Override
        public void run() {
            Thread me = Thread.currentThread();
            while (!stop) {
                Run r = Pool.PENDING.poll();
                if (r != null) {
                    r.run();
                    continue;
                }
                long until = System.nanoTime() + Pool.SPIN_NANOS;
                while (Pool.PENDING.isEmpty() && !stop && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                if (!Pool.PENDING.isEmpty() || stop) {
                    continue;
                }
                Pool.PARKED.offer(me);
                // re-checked after registering: an offer (or a stop) in between unparks or is seen here
                if (Pool.PENDING.isEmpty() && !stop) {
                    LockSupport.park(Pool.class);
                }
                Pool.PARKED.remove(me);
            }
        }
    }

    /** One parallel call: threads claim task indices from a shared counter until none are left. */
    private static final class Run implements Runnable {
        private final int tasks;
        private final IntConsumer body;
        private final AtomicInteger next = new AtomicInteger();
        private final CountDownLatch done;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Run(int tasks, IntConsumer body) {
            this.tasks = tasks;
            this.body = body;
            this.done = new CountDownLatch(tasks);
        }

        @Override
        public void run() {
            int i;
            while ((i = next.getAndIncrement()) < tasks) {
                try {
                    if (failure.get() == null) {
                        body.accept(i);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            }
        }

        void await() {
            // the last tasks usually end within microseconds of the caller's own: spin before parking, as a helper
            // does, since being woken from park costs about as long again, hundreds of times a forward pass
            long until = System.nanoTime() + Pool.SPIN_NANOS;
            while (done.getCount() > 0 && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            boolean interrupted = false;
            while (true) {
                try {
                    done.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the tasks use our arrays: never return before they finish
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            Throwable t = failure.get();
            if (t instanceof RuntimeException) {
                throw (RuntimeException) t;
            }
            if (t instanceof Error) {
                throw (Error) t;
            }
            if (t != null) {
                throw new IllegalStateException("kernel task failed", t);
            }
        }
    }
}

package dev.linnet.engine.kernels;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * The worker threads of the kernels: a small fixed pool of daemon threads, one per available
 * processor (override with {@code -Dlinnet.threads=N}; 1 means never use another thread).
 * The calling thread always works too and picks tasks from the same counter, so a call finishes even
 * when every pool thread is busy with other callers. Which thread runs a task never changes its result:
 * kernels give each output element to exactly one task, summed in the canonical order.
 */
final class KernelThreads {
    private static final int PARALLELISM = configured();

    private KernelThreads() {}

    /** How many threads one call may use, the caller included. */
    static int parallelism() {
        return PARALLELISM;
    }

    /** Runs body.accept(i) once for every i in [0, tasks), on up to {@link #parallelism()} threads. */
    static void forEach(int tasks, IntConsumer body) {
        if (tasks <= 0) {
            return;
        }
        if (tasks == 1 || PARALLELISM == 1) {
            for (int i = 0; i < tasks; i++) {
                body.accept(i);
            }
            return;
        }
        Run run = new Run(tasks, body);
        Pool.offer(run, Math.min(PARALLELISM - 1, tasks - 1));
        run.run();
        run.await();
    }

    private static int configured() {
        String value = System.getProperty("linnet.threads");
        if (value == null || value.isBlank()) {
            return Math.max(1, Runtime.getRuntime().availableProcessors());
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
     * The helper threads, created on the first parallel call only (so small or scalar-only uses start none). A
     * helper that finds no work spins briefly before it parks: a forward pass makes hundreds of parallel calls a
     * second with short single-threaded stretches between them, and waking a parked thread for each call cost the
     * second core a good part of its time.
     */
    private static final class Pool {
        private static final long SPIN_NANOS = 50_000;
        private static final java.util.concurrent.ConcurrentLinkedQueue<Run> PENDING =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        private static final java.util.concurrent.ConcurrentLinkedQueue<Thread> PARKED =
                new java.util.concurrent.ConcurrentLinkedQueue<>();

        static {
            Daemons factory = new Daemons();
            for (int i = 0; i < PARALLELISM - 1; i++) {
                factory.newThread(Pool::work).start();
            }
        }

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
                java.util.concurrent.locks.LockSupport.unpark(t);
            }
        }

        private static void work() {
            Thread me = Thread.currentThread();
            while (true) {
                Run r = PENDING.poll();
                if (r != null) {
                    r.run();
                    continue;
                }
                long until = System.nanoTime() + SPIN_NANOS;
                while (PENDING.isEmpty() && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                if (!PENDING.isEmpty()) {
                    continue;
                }
                PARKED.offer(me);
                if (PENDING.isEmpty()) { // re-checked after registering: an offer in between unparks or is seen here
                    java.util.concurrent.locks.LockSupport.park(Pool.class);
                }
                PARKED.remove(me);
            }
        }
    }

    private static final class Daemons implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "linnet-kernel-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
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

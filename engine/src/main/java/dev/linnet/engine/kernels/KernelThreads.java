package dev.linnet.engine.kernels;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
        int helpers = Math.min(PARALLELISM - 1, tasks - 1);
        for (int h = 0; h < helpers; h++) {
            Pool.EXECUTOR.execute(run);
        }
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

    /** Created on first parallel call only, so small or scalar-only uses start no thread. */
    private static final class Pool {
        static final ExecutorService EXECUTOR = Executors.newFixedThreadPool(PARALLELISM, new Daemons());
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

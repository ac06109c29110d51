package dev.linnet.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KernelPoolTest {
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    @BeforeEach
    @AfterEach
    void noUserAndNoHelper() {
        assertTrue(KernelPool.stopWhenUnused(), "a user was left registered");
        assertEquals(0, KernelPool.helperThreads());
        assertEquals(0, kernelThreads().size(), "helper threads still alive: " + kernelThreads());
    }

    @Test
    void usersSizeThePoolAndTheLastOneOutStopsIt() {
        try (KernelPool.User a = KernelPool.join(2)) {
            assertEquals(2, KernelPool.threadsPerCall());
            assertEquals(Math.min(1, CORES - 1), KernelPool.helperThreads());
            try (KernelPool.User b = KernelPool.join(3)) {
                assertEquals(3, KernelPool.threadsPerCall());
                assertEquals(Math.min(3, CORES - 1), KernelPool.helperThreads());
                assertFalse(KernelPool.stopWhenUnused(), "users are registered");
                assertEquals(Math.min(3, CORES - 1), KernelPool.helperThreads());
                runsEveryTaskOnce(200);
            }
            assertEquals(2, KernelPool.threadsPerCall());
            assertEquals(Math.min(1, CORES - 1), KernelPool.helperThreads());
            a.close();
            a.close(); // a second close does nothing
            assertEquals(0, KernelPool.helperThreads());
        }
        assertEquals(List.of(), kernelThreads());
    }

    @Test
    void oneThreadPerCallMeansNoHelper() {
        try (KernelPool.User a = KernelPool.join(1);
                KernelPool.User b = KernelPool.join(1)) {
            assertEquals(1, KernelPool.threadsPerCall());
            runsEveryTaskOnce(50);
            assertEquals(0, KernelPool.helperThreads());
            assertEquals(List.of(), kernelThreads());
        }
    }

    @Test
    void helpersStartedWithoutAUserStopWhenAsked() {
        runsEveryTaskOnce(64);
        assertEquals(KernelThreads.parallelism() - 1, KernelPool.helperThreads());
        assertTrue(KernelPool.stopWhenUnused());
        assertEquals(List.of(), kernelThreads());
        runsEveryTaskOnce(64); // and start again on the next parallel call
    }

    @Test
    void callsInFlightFinishWhileUsersComeAndGo() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        KernelPool.User keep = KernelPool.join(2);
        Thread caller = new Thread(() -> {
            try {
                while (running.get()) {
                    runsEveryTaskOnce(37);
                }
            } catch (Throwable t) {
                failed.set(t);
            }
        });
        caller.start();
        for (int i = 0; i < 200; i++) {
            KernelPool.join(1 + i % 4).close();
            if (i % 50 == 0) {
                keep.close();
                keep = KernelPool.join(2);
            }
        }
        running.set(false);
        caller.join();
        keep.close();
        KernelPool.stopWhenUnused(); // the caller may have run between users, with none registered
        if (failed.get() != null) {
            throw new AssertionError(failed.get());
        }
    }

    @Test
    void aUserNeedsAThread() {
        assertThrows(IllegalArgumentException.class, () -> KernelPool.join(0));
    }

    private static void runsEveryTaskOnce(int tasks) {
        AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
        KernelThreads.forEach(tasks, runs::incrementAndGet);
        for (int i = 0; i < tasks; i++) {
            assertEquals(1, runs.get(i), "task " + i + " of " + tasks);
        }
    }

    private static List<String> kernelThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("linnet-kernel-"))
                .sorted()
                .toList();
    }
}

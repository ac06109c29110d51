package dev.linnet.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class KernelThreadsTest {
    @Test
    void everyTaskRunsExactlyOnce() {
        for (int tasks : new int[] {0, 1, 2, 3, 17, 200}) {
            AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(tasks, 1));
            KernelThreads.forEach(tasks, i -> runs.incrementAndGet(i));
            for (int i = 0; i < tasks; i++) {
                assertEquals(1, runs.get(i), "task " + i + " of " + tasks);
            }
        }
        assertTrue(KernelThreads.parallelism() >= 1);
    }

    @Test
    void aFailingTaskFailsTheCall() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> KernelThreads.forEach(8, i -> {
                    if (i == 5) throw new IllegalStateException("task five");
                }));
        assertEquals("task five", e.getMessage());
    }
}

package dev.linnet.flink.bench;

import java.lang.management.ManagementFactory;

/**
 * CPU time of this whole process (every thread: task threads, kernel workers, checkpointing, GC), so a
 * benchmark on a shared machine can report throughput per CPU-second next to throughput per wall-second.
 */
final class ProcessCpu {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ProcessCpu() {}

    static long nanos() {
        return OS.getProcessCpuTime();
    }
}

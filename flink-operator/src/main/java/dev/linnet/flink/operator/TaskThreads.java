package dev.linnet.flink.operator;

import dev.linnet.engine.kernels.KernelPool;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.operators.StreamingRuntimeContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's share of the engine's kernel threads ({@link KernelPool}), bound to the job: every Linnet operator or
 * function instance joins when it opens and leaves when it closes, so the helper threads stop when the job's last
 * instance on this TaskManager closes. The job's user-code class loader release hook closes whatever of that
 * job is still open (with its model lease: Flink 2.2 never closes a process table function) and stops helpers
 * nobody uses.
 *
 * <p>How many threads: {@link LinnetClusterOptions#KERNEL_THREADS} from the TaskManager's own configuration,
 * else the cores divided by the TaskManager's slots (at least 1), so the tasks of a full TaskManager together
 * use its cores once.
 */
@Internal
public final class TaskThreads {

    private static final Logger LOG = LoggerFactory.getLogger(TaskThreads.class);
    private static final String RELEASE_HOOK = "linnet-kernel-threads";

    /** Open shares per job class loader (one entry per job on this TaskManager while it has open shares). */
    private static final Map<ClassLoader, Set<Share>> OPEN = new HashMap<>();

    private TaskThreads() {}

    /** One instance's share; close it when the instance closes (closing again does nothing). */
    public static final class Share implements AutoCloseable {
        private final ClassLoader job;
        private final KernelPool.User user;
        private volatile Runnable owner = this::close;

        private Share(ClassLoader job, KernelPool.User user) {
            this.job = job;
            this.user = user;
        }

        /**
         * What the release hook closes if this share is still open then: by default the share itself; a holder
         * whose resources live as long (a model lease) names its own close, which must close this share too.
         */
        public void closedBy(Runnable ownerClose) {
            this.owner = ownerClose;
        }

        /** The threads one of this instance's kernel calls may use, its task thread included. */
        public int threads() {
            return user.threads();
        }

        @Override
        public void close() {
            synchronized (OPEN) {
                Set<Share> shares = OPEN.get(job);
                if (shares != null && shares.remove(this) && shares.isEmpty()) {
                    OPEN.remove(job);
                }
            }
            user.close();
        }
    }

    /** Joins the kernel pool for one instance of the task {@code context} belongs to. */
    public static Share join(RuntimeContext context) {
        int threads = threads(taskManagerConfiguration(context));
        ClassLoader job = context.getUserCodeClassLoader();
        Share share = new Share(job, KernelPool.join(threads));
        boolean first;
        synchronized (OPEN) {
            Set<Share> shares = OPEN.computeIfAbsent(job, k -> new HashSet<>());
            first = shares.isEmpty();
            shares.add(share);
        }
        try {
            context.registerUserCodeClassLoaderReleaseHookIfAbsent(RELEASE_HOOK, () -> release(job));
        } catch (RuntimeException e) {
            share.close();
            throw e;
        }
        if (first) {
            LOG.info(
                    "Linnet kernels: {} threads per task ({}), {} helper threads on this TaskManager",
                    threads,
                    LinnetClusterOptions.KERNEL_THREADS.key(),
                    KernelPool.helperThreads());
        }
        return share;
    }

    /**
     * The TaskManager's own configuration (not the job's): what {@link LinnetClusterOptions} are read from.
     *
     * @throws IllegalStateException when {@code context} is not a streaming task's
     */
    public static Configuration taskManagerConfiguration(RuntimeContext context) {
        if (context instanceof StreamingRuntimeContext) {
            return ((StreamingRuntimeContext) context)
                    .getTaskManagerRuntimeInfo()
                    .getConfiguration();
        }
        throw new IllegalStateException("Linnet runs in streaming tasks only; this runtime context is a "
                + (context == null ? "null" : context.getClass().getName()));
    }

    /** The threads per task that {@code taskManager} gives. */
    static int threads(Configuration taskManager) {
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        Integer set =
                taskManager.getOptional(LinnetClusterOptions.KERNEL_THREADS).orElse(null);
        if (set != null) {
            if (set < 1) {
                throw new IllegalArgumentException(
                        LinnetClusterOptions.KERNEL_THREADS.key() + " must be at least 1, got " + set);
            }
            return Math.min(set, cores);
        }
        int slots = Math.max(1, taskManager.get(TaskManagerOptions.NUM_TASK_SLOTS));
        return Math.max(1, cores / slots);
    }

    /** The job's class loader is released: close its shares still open, stop helpers nobody uses. */
    private static void release(ClassLoader job) {
        List<Share> left;
        synchronized (OPEN) {
            Set<Share> shares = OPEN.remove(job);
            left = shares == null ? List.of() : List.copyOf(shares);
        }
        for (Share s : left) {
            try {
                s.owner.run();
            } finally {
                s.user.close();
            }
        }
        if (!left.isEmpty()) {
            // Flink 2.2's process table function operator opens its function but never closes it: LINNET_SCORE's
            // instances end here
            LOG.info("Linnet: closed {} instances still open when the job's class loader was released", left.size());
        }
        KernelPool.stopWhenUnused();
    }
}

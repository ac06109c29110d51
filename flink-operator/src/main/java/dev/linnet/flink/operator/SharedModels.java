package dev.linnet.flink.operator;

import dev.linnet.engine.model.LoadOptions;
import dev.linnet.engine.model.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.functions.RuntimeContext;

/**
 * Models loaded once per JVM (per job class loader, in Flink: per job and TaskManager) and shared by every
 * operator instance that asks for the same checkpoint and load options; reference-counted, so the weights
 * are dropped when the last user closes its lease. A lease also holds its task's share of the kernel threads
 * ({@link TaskThreads}), given back with it.
 */
@Internal
public final class SharedModels {

    private record Key(Path dir, LoadOptions options) {}

    private static final class Entry {
        final Model model;
        int users;

        Entry(Model model) {
            this.model = model;
        }
    }

    private static final Map<Key, Entry> MODELS = new HashMap<>();

    private SharedModels() {}

    /** A model in use; close it exactly once when done. */
    public static final class Lease implements AutoCloseable {
        private final Key key;
        private final Model model;
        private final TaskThreads.Share threads;
        private boolean closed;

        private Lease(Key key, Model model, TaskThreads.Share threads) {
            this.key = key;
            this.model = model;
            this.threads = threads;
        }

        public Model model() {
            if (closed) {
                throw new IllegalStateException("model lease already closed");
            }
            return model;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                try {
                    release(key);
                } finally {
                    threads.close();
                }
            }
        }
    }

    /**
     * Loads (or reuses) the checkpoint in {@code dir} for an instance of the task {@code context} belongs to,
     * and joins that task's share of the kernel threads.
     *
     * @throws UncheckedIOException with the path in its message when the checkpoint cannot be read
     */
    public static Lease acquire(Path dir, LoadOptions options, RuntimeContext context) {
        if (!Files.isDirectory(dir)) {
            throw new UncheckedIOException(new IOException("model directory " + dir.toAbsolutePath()
                    + " does not exist on this machine (" + LinnetOptions.MODEL_PATH.key() + ")"));
        }
        Key key = new Key(dir.toAbsolutePath().normalize(), options);
        TaskThreads.Share threads = TaskThreads.join(context);
        synchronized (MODELS) {
            Entry e = MODELS.get(key);
            if (e == null) {
                try {
                    e = new Entry(Model.load(key.dir(), options));
                } catch (IOException | RuntimeException ex) {
                    threads.close();
                    if (ex instanceof IOException) {
                        throw new UncheckedIOException(
                                "cannot load the model in " + key.dir() + ": " + ex.getMessage(), (IOException) ex);
                    }
                    throw (RuntimeException) ex;
                }
                MODELS.put(key, e);
            }
            e.users++;
            Lease lease = new Lease(key, e.model, threads);
            threads.closedBy(lease::close);
            return lease;
        }
    }

    /** Models currently held (for tests and diagnostics). */
    public static int loadedCount() {
        synchronized (MODELS) {
            return MODELS.size();
        }
    }

    private static void release(Key key) {
        synchronized (MODELS) {
            Entry e = MODELS.get(key);
            if (e != null && --e.users == 0) {
                MODELS.remove(key);
            }
        }
    }
}

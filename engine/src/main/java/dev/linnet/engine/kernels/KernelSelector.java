package dev.linnet.engine.kernels;

import java.lang.reflect.InvocationTargetException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the kernel implementation once per JVM. The vector class is loaded by name so that a JVM
 * started without {@code --add-modules jdk.incubator.vector} never links against the module.
 * {@code -Dlinnet.kernels=scalar} forces the scalar path (tests compare the two).
 */
final class KernelSelector {
    private static final Logger LOG = LoggerFactory.getLogger(KernelSelector.class);
    static final Kernels SELECTED = select();

    private KernelSelector() {}

    private static Kernels select() {
        String forced = System.getProperty("linnet.kernels", "auto");
        if (forced.equals("scalar")) {
            return new ScalarKernels();
        }
        boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        if (present) {
            try {
                Class<?> c = Class.forName("dev.linnet.engine.kernels.VectorKernels");
                return (Kernels) c.getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                Throwable why = e instanceof InvocationTargetException && e.getCause() != null ? e.getCause() : e;
                LOG.warn("Linnet: vector kernels unavailable ({}); using the scalar kernels", why.toString());
                return new ScalarKernels();
            }
        }
        LOG.warn("Linnet: jdk.incubator.vector is not present (start the JVM with --add-modules "
                + "jdk.incubator.vector); using the slower scalar kernels");
        return new ScalarKernels();
    }
}

package dev.linnet.engine.kernels;

/** Prints the kernels this JVM selects; run in a forked JVM by {@link KernelSelectorTest}. */
public final class KernelProbe {
    private KernelProbe() {}

    public static void main(String[] args) {
        System.out.println("selected=" + Kernels.get().name());
    }
}

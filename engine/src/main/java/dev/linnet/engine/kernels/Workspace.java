package dev.linnet.engine.kernels;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread's work arrays for forward passes, kept from one pass to the next. A chunk of 512 tokens through the
 * benchmark model took about 86 MB of fresh arrays; the JVM zeroes each new array on the thread that asks for it,
 * while the kernel threads wait, and that was a few percent of prefill besides the collections.
 *
 * <p>An array comes back holding whatever its last user left in it: each user writes every element it reads. One
 * array per {@link Slot}: code declares a slot for each array it needs at the same time as others, and forward
 * passes on one thread must not nest. Per thread, because a model is shared by the scorers of a TaskManager and its
 * tasks run on the kernel threads. Arrays over {@link #KEPT_FLOATS} are handed out fresh and not kept, so one huge
 * batch does not pin its memory.
 */
public final class Workspace {
    /** Largest array kept between passes, in elements (16 MiB). */
    public static final int KEPT_FLOATS = 4 << 20;

    private static final AtomicInteger SLOTS = new AtomicInteger();
    private static final ThreadLocal<Workspace> OF_THREAD = ThreadLocal.withInitial(Workspace::new);

    /** One named use of an array; declare it once, as a constant of the class that uses it. */
    public static final class Slot {
        private final int index;
        private final String name;

        private Slot(int index, String name) {
            this.index = index;
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private float[][] arrays = new float[0][];
    private int[][] intArrays = new int[0][];

    private Workspace() {}

    /** A new slot, distinct from every other. */
    public static Slot slot(String name) {
        return new Slot(SLOTS.getAndIncrement(), name);
    }

    /** The calling thread's workspace. */
    public static Workspace ofThread() {
        return OF_THREAD.get();
    }

    /**
     * Fills every float array this thread keeps with value and every int array with -1 (tests fill NaN to show that
     * no result reads leftovers).
     */
    public void fillKept(float value) {
        for (float[] a : arrays) {
            if (a != null) {
                Arrays.fill(a, value);
            }
        }
        for (int[] a : intArrays) {
            if (a != null) {
                Arrays.fill(a, -1);
            }
        }
    }

    /** An array of at least n floats for slot; its contents are left over from earlier use. */
    public float[] floats(Slot slot, int n) {
        if (n > KEPT_FLOATS) {
            return new float[n];
        }
        if (slot.index >= arrays.length) {
            arrays = Arrays.copyOf(arrays, SLOTS.get());
        }
        float[] a = arrays[slot.index];
        if (a == null || a.length < n) {
            a = new float[n];
            arrays[slot.index] = a;
        }
        return a;
    }

    /** An array of at least n ints for slot (a slot holds floats or ints, as its user asks); contents left over. */
    public int[] ints(Slot slot, int n) {
        if (n > KEPT_FLOATS) {
            return new int[n];
        }
        if (slot.index >= intArrays.length) {
            intArrays = Arrays.copyOf(intArrays, SLOTS.get());
        }
        int[] a = intArrays[slot.index];
        if (a == null || a.length < n) {
            a = new int[n];
            intArrays[slot.index] = a;
        }
        return a;
    }
}

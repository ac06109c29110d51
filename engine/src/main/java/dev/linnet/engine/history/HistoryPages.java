package dev.linnet.engine.history;

import java.nio.ByteBuffer;

/**
 * The history's large arrays cut into pages of about {@link #PAGE_BYTES}, so that a store can write only the pages
 * a record changed: one token changes one slot of each context table, one ring entry and one index entry, while the
 * whole history is megabytes. Pages are numbered table by table (each a run of whole slots: the check and the
 * slot's entries together), then the ring, then the index. The small parts (position, match pointer, hit rates,
 * mixing weights) are not paged: they change with every token.
 */
public final class HistoryPages {
    /** Bytes of numbers a page holds at most (one slot may exceed it when a table is wider). */
    public static final int PAGE_BYTES = 256;

    private final int[] widths;
    private final int[] slotsPerPage;
    /** First page of each table, then of the ring, then of the index, then the page count. */
    private final int[] first;

    private final int ringPerPage;
    private final int indexPerPage;

    HistoryPages(HistoryConfig config) {
        int tables = config.tables();
        widths = new int[tables];
        int[] slots = new int[tables];
        for (int j = 0; j < config.orders().size(); j++) {
            widths[j] = config.orders().get(j).width();
            slots[j] = 1 << config.orders().get(j).slotBits();
        }
        for (int j = 0; j < config.sparse().size(); j++) {
            widths[config.orders().size() + j] = config.sparse().get(j).width();
            slots[config.orders().size() + j] = 1 << config.sparse().get(j).slotBits();
        }
        slotsPerPage = new int[tables];
        first = new int[tables + 3];
        int page = 0;
        for (int j = 0; j < tables; j++) {
            first[j] = page;
            slotsPerPage[j] = Math.max(1, PAGE_BYTES / (4 * (1 + widths[j])));
            page += ceilDiv(slots[j], slotsPerPage[j]);
        }
        ringPerPage = PAGE_BYTES / 4;
        indexPerPage = PAGE_BYTES / 4;
        first[tables] = page;
        page += ceilDiv(1 << config.ringBits(), ringPerPage);
        first[tables + 1] = page;
        page += ceilDiv(1 << config.indexBits(), indexPerPage);
        first[tables + 2] = page;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Pages of a history of this configuration. */
    public int count() {
        return first[first.length - 1];
    }

    int ofSlot(int table, int slot) {
        return first[table] + slot / slotsPerPage[table];
    }

    int ofRing(int entry) {
        return first[widths.length] + entry / ringPerPage;
    }

    int ofIndex(int entry) {
        return first[widths.length + 1] + entry / indexPerPage;
    }

    /** Bytes {@link #write} writes for {@code page}. */
    public int bytes(HistoryState h, int page) {
        return 4 * span(h, page)[2];
    }

    /**
     * Where page lies: {kind (table index, or -1 ring, -2 index), first element, numbers}; for a table page the
     * first element is a slot and the numbers count its checks and entries together.
     */
    private int[] span(HistoryState h, int page) {
        if (page < 0 || page >= count()) {
            throw new IllegalArgumentException("history page " + page + " is outside [0, " + count() + ")");
        }
        int tables = widths.length;
        if (page >= first[tables + 1]) {
            int from = (page - first[tables + 1]) * indexPerPage;
            return new int[] {-2, from, Math.min(indexPerPage, h.index.length - from)};
        }
        if (page >= first[tables]) {
            int from = (page - first[tables]) * ringPerPage;
            return new int[] {-1, from, Math.min(ringPerPage, h.ring.length - from)};
        }
        int j = tables - 1;
        while (first[j] > page) j--;
        int from = (page - first[j]) * slotsPerPage[j];
        int n = Math.min(slotsPerPage[j], h.checks[j].length - from);
        return new int[] {j, from, n * (1 + widths[j])};
    }

    /** Whether every number of the page is zero (as in a new history). */
    boolean isZero(HistoryState h, int page) {
        int[] s = span(h, page);
        if (s[0] == -1) return allZero(h.ring, s[1], s[2]);
        if (s[0] == -2) return allZero(h.index, s[1], s[2]);
        int j = s[0], n = s[2] / (1 + widths[j]);
        return allZero(h.checks[j], s[1], n) && allZero(h.entries[j], s[1] * widths[j], n * widths[j]);
    }

    private static boolean allZero(int[] a, int from, int n) {
        for (int i = from; i < from + n; i++) if (a[i] != 0) return false;
        return true;
    }

    /** Writes the page's numbers (little-endian ints) into {@code b}. */
    void write(HistoryState h, int page, ByteBuffer b) {
        int[] s = span(h, page);
        if (s[0] == -1) {
            b.asIntBuffer().put(h.ring, s[1], s[2]);
        } else if (s[0] == -2) {
            b.asIntBuffer().put(h.index, s[1], s[2]);
        } else {
            int j = s[0], n = s[2] / (1 + widths[j]);
            b.asIntBuffer().put(h.checks[j], s[1], n);
            b.position(b.position() + 4 * n);
            b.asIntBuffer().put(h.entries[j], s[1] * widths[j], n * widths[j]);
            b.position(b.position() + 4 * n * widths[j]);
            return;
        }
        b.position(b.position() + 4 * s[2]);
    }

    /** Reads what {@link #write} wrote for {@code page}. */
    void read(HistoryState h, int page, ByteBuffer b) {
        int[] s = span(h, page);
        if (s[0] == -1) {
            b.asIntBuffer().get(h.ring, s[1], s[2]);
        } else if (s[0] == -2) {
            b.asIntBuffer().get(h.index, s[1], s[2]);
        } else {
            int j = s[0], n = s[2] / (1 + widths[j]);
            b.asIntBuffer().get(h.checks[j], s[1], n);
            b.position(b.position() + 4 * n);
            b.asIntBuffer().get(h.entries[j], s[1] * widths[j], n * widths[j]);
            b.position(b.position() + 4 * n * widths[j]);
            return;
        }
        b.position(b.position() + 4 * s[2]);
    }
}

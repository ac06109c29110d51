package dev.linnet.evaluation;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Baseline: flag an item (a line, or a session of events) when it carries a template not known yet.
 * Templates of the warm part (normal items) are known from the start. Two readings of "not seen before":
 * streaming, where every scored item is learned after it is decided (alarm or not, as a detector without
 * labels would), so a template only alarms the first time; and fixed, where only the normal warm part is
 * ever known, so every item with a template outside it alarms.
 */
public final class FirstSeenTemplate {
    private final Set<String> known = new HashSet<>();
    private final boolean learns;

    /** @param learns true for the streaming reading, false for the fixed one */
    public FirstSeenTemplate(Iterable<? extends List<String>> warm, boolean learns) {
        for (List<String> item : warm) known.addAll(item);
        this.learns = learns;
    }

    /** Decides each item in order (learning its templates after deciding, when streaming). */
    public boolean[] flags(List<? extends List<String>> items) {
        boolean[] out = new boolean[items.size()];
        for (int i = 0; i < items.size(); i++) {
            for (String t : items.get(i)) if (!known.contains(t)) out[i] = true;
            if (learns) known.addAll(items.get(i));
        }
        return out;
    }
}

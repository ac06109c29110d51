package dev.linnet.flink.local;

import java.io.PrintStream;

/**
 * A status line: rewritten in place on a terminal, printed every few seconds otherwise (logs, pipes).
 * Output lines printed through {@link #println} clear it first, so the two never mix.
 */
final class ProgressLine {

    private final PrintStream out;
    private final boolean terminal;
    private String shown = "";
    private long lastPrinted;

    ProgressLine(PrintStream out) {
        this.out = out;
        this.terminal = System.console() != null;
    }

    synchronized void println(String line) {
        clear();
        out.println(line);
        redraw();
    }

    synchronized void update(String status) {
        if (terminal) {
            clear();
            shown = status;
            redraw();
        } else {
            long now = System.nanoTime();
            if (now - lastPrinted > 3_000_000_000L) {
                lastPrinted = now;
                out.println("[progress] " + status);
            }
        }
    }

    synchronized void finish(String status) {
        clear();
        shown = "";
        out.println("[done] " + status);
    }

    private void clear() {
        if (terminal && !shown.isEmpty()) {
            out.print("\r" + " ".repeat(shown.length()) + "\r");
        }
    }

    private void redraw() {
        if (terminal && !shown.isEmpty()) {
            out.print(shown);
            out.flush();
        }
    }
}

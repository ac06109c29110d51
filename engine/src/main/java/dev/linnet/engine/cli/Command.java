package dev.linnet.engine.cli;

import java.io.InputStream;
import java.io.PrintStream;

/** One sub-command of {@code java -jar linnet-engine.jar <command> ...}. */
public interface Command {
    /** The word that selects it on the command line. */
    String name();

    /** One line for the command list. */
    String summary();

    /** Runs it; returns the process exit code. Usage errors print what to fix and return 2. */
    int run(String[] args, InputStream in, PrintStream out, PrintStream err) throws Exception;
}

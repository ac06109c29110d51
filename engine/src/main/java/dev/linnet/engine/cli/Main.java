package dev.linnet.engine.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Entry point of engine/target/linnet-engine.jar: dispatches to the sub-commands. */
public final class Main {
    private Main() {}

    /** Every command the jar offers; each lives in its own class. */
    static List<Command> commands() {
        List<Command> list = new ArrayList<>();
        for (String cls : new String[] {
            "dev.linnet.engine.cli.CheckReferenceCommand",
            "dev.linnet.engine.cli.BenchCommand",
            "dev.linnet.engine.cli.TokenizeCommand",
        }) {
            try {
                list.add((Command) Class.forName(cls).getDeclaredConstructor().newInstance());
            } catch (ClassNotFoundException e) {
                // not built into this version of the jar
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create command " + cls, e);
            }
        }
        return list;
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /**
     * Runs one command; returns the exit code: 0 done, 1 the command failed, 2 a usage error (one line on
     * {@code err} naming the command and what to fix).
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) throws Exception {
        List<Command> commands = commands();
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            PrintStream p = args.length == 0 ? err : out;
            p.println("usage: java --add-modules jdk.incubator.vector -jar linnet-engine.jar <command> [options]");
            p.println("commands:");
            for (Command c : commands) {
                p.printf("  %-18s %s%n", c.name(), c.summary());
            }
            p.println("Each command takes --help.");
            return args.length == 0 ? 2 : 0;
        }
        for (Command c : commands) {
            if (c.name().equals(args[0])) {
                return c.run(Arrays.copyOfRange(args, 1, args.length), in, out, err);
            }
        }
        err.println("unknown command '" + args[0] + "' (see --help for the list)");
        return 2;
    }
}

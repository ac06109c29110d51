package dev.linnet.engine.cli;

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
        System.exit(run(args));
    }

    static int run(String[] args) throws Exception {
        List<Command> commands = commands();
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            System.out.println("usage: java --add-modules jdk.incubator.vector -jar linnet-engine.jar <command> [options]");
            System.out.println("commands:");
            for (Command c : commands) {
                System.out.printf("  %-18s %s%n", c.name(), c.summary());
            }
            System.out.println("Each command takes --help.");
            return args.length == 0 ? 2 : 0;
        }
        for (Command c : commands) {
            if (c.name().equals(args[0])) {
                return c.run(Arrays.copyOfRange(args, 1, args.length), System.in, System.out, System.err);
            }
        }
        System.err.println("unknown command '" + args[0] + "'; run with --help for the list");
        return 2;
    }
}

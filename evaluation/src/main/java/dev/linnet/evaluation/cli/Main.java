package dev.linnet.evaluation.cli;

import dev.linnet.engine.cli.Command;
import java.util.Arrays;
import java.util.List;

/** Entry point of evaluation/target/linnet-evaluation.jar: dispatches to its commands. */
public final class Main {
    private Main() {}

    static List<Command> commands() {
        return List.of(new EvalCommand());
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    static int run(String[] args) throws Exception {
        List<Command> commands = commands();
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            System.out.println(
                    "usage: java --add-modules jdk.incubator.vector -jar linnet-evaluation.jar <command> [options]");
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

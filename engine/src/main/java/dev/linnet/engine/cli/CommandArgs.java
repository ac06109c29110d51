package dev.linnet.engine.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of one engine command: {@code --name value}, {@code --name=value} and flags. Every mistake
 * (an unknown option, a missing or malformed value, an option given twice, a missing required one) is a
 * {@link UsageException} whose message is one line naming the command and the option; the commands print it
 * and exit with 2.
 */
final class CommandArgs {

    /** A usage error: one line, ready to print. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String command, String problem) {
            super(command + ": " + problem + " (see " + command + " --help)");
        }
    }

    private final String command;
    private final Map<String, String> labels;
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    private CommandArgs(String command, Map<String, String> labels) {
        this.command = command;
        this.labels = labels;
    }

    /**
     * @param valued the options that take a value, each with the label its usage shows (e.g. "--model" -> "DIR")
     * @param flagNames the options that take none; --help and -h are always known
     */
    static CommandArgs parse(String command, String[] args, Map<String, String> valued, Set<String> flagNames)
            throws UsageException {
        CommandArgs a = new CommandArgs(command, valued);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (name.equals("--help") || name.equals("-h")) {
                a.flags.add("--help");
            } else if (flagNames.contains(name)) {
                if (value != null) {
                    throw new UsageException(command, name + " takes no value, got '" + value + "'");
                }
                a.flags.add(name);
            } else if (valued.containsKey(name)) {
                if (value == null) {
                    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                        throw new UsageException(command, name + " needs a value: " + name + " " + valued.get(name));
                    }
                    value = args[++i];
                }
                if (a.values.put(name, value) != null) {
                    throw new UsageException(command, name + " is given twice");
                }
            } else if (arg.startsWith("-")) {
                throw new UsageException(command, "unknown option '" + name + "'");
            } else {
                throw new UsageException(command, "unexpected argument '" + arg + "'");
            }
        }
        return a;
    }

    boolean help() {
        return flags.contains("--help");
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    String string(String name, String otherwise) {
        return values.getOrDefault(name, otherwise);
    }

    /** The value of an option that must be given. */
    String required(String name) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            throw new UsageException(command, "missing " + name + " " + labels.get(name));
        }
        return v;
    }

    Path requiredPath(String name) throws UsageException {
        return Path.of(required(name));
    }

    int integer(String name, int otherwise, int min) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return otherwise;
        }
        return atLeast(name, parseInt(name, v, "a whole number"), min);
    }

    double number(String name, double otherwise, double exclusiveMin) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return otherwise;
        }
        double d;
        try {
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(command, name + " expects a number, got '" + v + "'");
        }
        if (!(d > exclusiveMin) || Double.isInfinite(d)) {
            throw new UsageException(
                    command, name + " must be a finite number above " + exclusiveMin + ", got '" + v + "'");
        }
        return d;
    }

    /** A comma-separated list of whole numbers, each in [min, max]. */
    List<Long> longs(String name, List<Long> otherwise, long min, long max) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return otherwise;
        }
        List<Long> list = new ArrayList<>();
        for (String part : v.split(",", -1)) {
            long n;
            try {
                n = Long.parseLong(part.trim());
            } catch (NumberFormatException e) {
                throw new UsageException(command, name + " expects whole numbers separated by commas, got '" + v + "'");
            }
            if (n < min || n > max) {
                throw new UsageException(
                        command, name + " values must be from " + min + " to " + max + ", got '" + v + "'");
            }
            list.add(n);
        }
        return list;
    }

    /** One of an enum's constants, given in any case. */
    <E extends Enum<E>> E choice(String name, Class<E> type, E otherwise) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return otherwise;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v.trim())) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        throw new UsageException(command, name + " expects one of " + String.join(", ", names) + ", got '" + v + "'");
    }

    private int parseInt(String name, String v, String what) throws UsageException {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(command, name + " expects " + what + ", got '" + v + "'");
        }
    }

    private int atLeast(String name, int n, int min) throws UsageException {
        if (n < min) {
            throw new UsageException(command, name + " must be at least " + min + ", got " + n);
        }
        return n;
    }
}

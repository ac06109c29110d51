package dev.linnet.flink.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The instructions of a Dockerfile, parsed far enough to check what it names: base image, ARG defaults, COPYs. */
final class Dockerfile {

    static final Set<String> INSTRUCTIONS = Set.of(
            "FROM",
            "ARG",
            "ENV",
            "RUN",
            "COPY",
            "ADD",
            "USER",
            "WORKDIR",
            "LABEL",
            "EXPOSE",
            "ENTRYPOINT",
            "CMD",
            "VOLUME",
            "HEALTHCHECK",
            "SHELL",
            "STOPSIGNAL",
            "ONBUILD");

    record Instruction(int line, String keyword, String arguments) {}

    /** A COPY: its sources (ARG defaults substituted) and its destination in the image. */
    record Copy(int line, List<String> sources, String destination) {}

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?");

    final List<Instruction> instructions = new ArrayList<>();
    final Map<String, String> argDefaults = new LinkedHashMap<>();

    private Dockerfile() {}

    /**
     * @throws IllegalArgumentException naming the line of an unknown instruction or a malformed one
     */
    static Dockerfile parse(String text) {
        Dockerfile d = new Dockerfile();
        String[] lines = text.split("\n", -1);
        StringBuilder current = null;
        int startLine = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].stripTrailing();
            if (current == null) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                current = new StringBuilder();
                startLine = i + 1;
            } else if (line.strip().startsWith("#")) {
                continue; // a comment inside a continued instruction
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            d.add(startLine, current.toString().strip());
            current = null;
        }
        if (current != null) {
            throw new IllegalArgumentException(
                    "Dockerfile line " + startLine + ": the last instruction ends with a line continuation");
        }
        return d;
    }

    private void add(int line, String instruction) {
        String[] parts = instruction.split("\\s+", 2);
        String keyword = parts[0].toUpperCase(Locale.ROOT);
        if (!INSTRUCTIONS.contains(keyword)) {
            throw new IllegalArgumentException("Dockerfile line " + line + ": unknown instruction " + parts[0]);
        }
        if (parts.length < 2 || parts[1].isBlank()) {
            throw new IllegalArgumentException("Dockerfile line " + line + ": " + keyword + " without arguments");
        }
        instructions.add(new Instruction(line, keyword, parts[1].strip()));
        if (keyword.equals("ARG")) {
            String[] kv = parts[1].strip().split("=", 2);
            argDefaults.put(kv[0], kv.length == 2 ? kv[1] : null);
        }
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The image named by the (single) FROM. */
    String baseImage() {
        List<Instruction> froms = all("FROM");
        if (froms.size() != 1) {
            throw new IllegalArgumentException("expected one FROM, found " + froms.size());
        }
        return froms.get(0).arguments().split("\\s+")[0];
    }

    List<Copy> copies() {
        List<Copy> out = new ArrayList<>();
        for (Instruction i : all("COPY")) {
            List<String> words = new ArrayList<>();
            for (String w : i.arguments().split("\\s+")) {
                if (!w.startsWith("--")) {
                    words.add(substitute(w, i.line()));
                }
            }
            if (words.size() < 2) {
                throw new IllegalArgumentException(
                        "Dockerfile line " + i.line() + ": COPY needs a source and a destination");
            }
            out.add(new Copy(i.line(), List.copyOf(words.subList(0, words.size() - 1)), words.get(words.size() - 1)));
        }
        return out;
    }

    private String substitute(String word, int line) {
        Matcher m = VARIABLE.matcher(word);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = argDefaults.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException(
                        "Dockerfile line " + line + ": $" + m.group(1) + " has no ARG default");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}

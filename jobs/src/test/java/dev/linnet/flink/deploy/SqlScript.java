package dev.linnet.flink.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A SQL client script split into statements, with what the checks need: SETs, tables and their options, functions. */
final class SqlScript {

    record Table(String name, String statement, Map<String, String> options, boolean createAsSelect) {}

    record Function(String name, String className, String jar) {}

    private static final Pattern SET = Pattern.compile("(?is)^SET\\s+'([^']+)'\\s*=\\s*'([^']*)'$");
    private static final Pattern CREATE_TABLE = Pattern.compile(
            "(?is)^CREATE\\s+(?:TEMPORARY\\s+)?TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?`?(\\w+)`?.*?\\bWITH\\s*\\((.*?)\\)\\s*(AS\\s+SELECT\\b.*)?$");
    private static final Pattern OPTION = Pattern.compile("'([^']+)'\\s*=\\s*'([^']*)'");
    private static final Pattern CREATE_FUNCTION = Pattern.compile(
            "(?is)^CREATE\\s+(?:TEMPORARY\\s+(?:SYSTEM\\s+)?)?FUNCTION\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(\\w+)\\s+AS\\s+'([^']+)'"
                    + "(?:\\s+LANGUAGE\\s+JAVA)?(?:\\s+USING\\s+JAR\\s+'([^']+)')?$");
    private static final Pattern ADD_JAR = Pattern.compile("(?is)^ADD\\s+JAR\\s+'([^']+)'$");
    private static final Pattern STATEMENT_START = Pattern.compile(
            "(?is)^(SET|RESET|CREATE|ADD\\s+JAR|INSERT|SELECT|EXECUTE|EXPLAIN|USE|DROP|ALTER|SHOW|DESCRIBE|BEGIN|END)\\b.*");

    final List<String> statements;
    final Map<String, String> sets = new LinkedHashMap<>();
    final List<Table> tables = new ArrayList<>();
    final List<Function> functions = new ArrayList<>();
    final List<String> addedJars = new ArrayList<>();

    private SqlScript(List<String> statements) {
        this.statements = statements;
    }

    /**
     * @throws IllegalArgumentException naming a statement the SQL client would not accept as a statement start,
     *                                  an unterminated quote, or text after the last semicolon
     */
    static SqlScript parse(String text) {
        SqlScript s = new SqlScript(split(text));
        for (String st : s.statements) {
            if (!STATEMENT_START.matcher(st).matches()) {
                throw new IllegalArgumentException("not a SQL client statement: " + abbreviate(st));
            }
            Matcher m;
            if ((m = SET.matcher(st)).matches()) {
                s.sets.put(m.group(1), m.group(2));
            } else if ((m = CREATE_TABLE.matcher(st)).matches()) {
                Map<String, String> options = new LinkedHashMap<>();
                Matcher o = OPTION.matcher(m.group(2));
                while (o.find()) {
                    options.put(o.group(1), o.group(2));
                }
                s.tables.add(new Table(m.group(1), st, options, m.group(3) != null));
            } else if ((m = CREATE_FUNCTION.matcher(st)).matches()) {
                s.functions.add(new Function(m.group(1), m.group(2), m.group(3)));
            } else if ((m = ADD_JAR.matcher(st)).matches()) {
                s.addedJars.add(m.group(1));
            } else if (st.regionMatches(true, 0, "CREATE", 0, 6)) {
                throw new IllegalArgumentException("a CREATE statement the checks cannot read: " + abbreviate(st));
            }
        }
        return s;
    }

    /** Splits on semicolons outside quotes, dropping {@code --} comments. */
    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                cur.append(c);
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '`' || c == '"') {
                quote = c;
                cur.append(c);
            } else if (c == '-' && i + 1 < text.length() && text.charAt(i + 1) == '-') {
                int eol = text.indexOf('\n', i);
                i = eol < 0 ? text.length() : eol;
                cur.append('\n');
            } else if (c == ';') {
                String st = cur.toString().strip();
                if (!st.isEmpty()) {
                    out.add(st);
                }
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unterminated " + quote + " quote in: "
                    + abbreviate(cur.toString().strip()));
        }
        if (!cur.toString().isBlank()) {
            throw new IllegalArgumentException("text after the last semicolon: "
                    + abbreviate(cur.toString().strip()));
        }
        return out;
    }

    private static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() <= 80 ? one : one.substring(0, 77) + "...";
    }
}

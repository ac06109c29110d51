package dev.linnet.evaluation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A CSV file with a header row (RFC 4180: fields in double quotes may hold commas, newlines and doubled
 * quotes; CRLF or LF line ends). The loghub files are of this kind.
 */
public final class CsvTable {
    private final Path source;
    private final List<String> header;
    private final Map<String, Integer> columns = new HashMap<>();
    private final List<List<String>> rows;

    private CsvTable(Path source, List<String> header, List<List<String>> rows) {
        this.source = source;
        this.header = List.copyOf(header);
        for (int i = 0; i < header.size(); i++) columns.putIfAbsent(header.get(i), i);
        this.rows = rows;
    }

    public static CsvTable read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("CSV file not found: " + file);
        return parse(file, Files.readString(file, StandardCharsets.UTF_8));
    }

    static CsvTable parse(Path source, String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStarted = false;
        int line = 1;
        int i = 0;
        if (text.startsWith("\uFEFF")) i = 1; // byte order mark
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') line++;
                    field.append(c);
                }
            } else if (c == '"' && field.length() == 0 && !fieldStarted) {
                quoted = true;
                fieldStarted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
                fieldStarted = false;
            } else if (c == '\r' || c == '\n') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
                record.add(field.toString());
                field.setLength(0);
                fieldStarted = false;
                records.add(record);
                record = new ArrayList<>();
                line++;
            } else {
                field.append(c);
                fieldStarted = true;
            }
        }
        if (quoted)
            throw new IllegalArgumentException(
                    source + ": a quoted field opened before line " + line + " never closes");
        if (fieldStarted || field.length() > 0 || !record.isEmpty()) {
            record.add(field.toString());
            records.add(record);
        }
        if (records.isEmpty()) throw new IllegalArgumentException(source + ": empty CSV (no header row)");
        List<String> header = records.get(0);
        List<List<String>> rows = new ArrayList<>();
        for (int r = 1; r < records.size(); r++) {
            List<String> row = records.get(r);
            if (row.size() == 1 && row.get(0).isEmpty()) continue; // blank line
            if (row.size() != header.size()) {
                throw new IllegalArgumentException(source + ": record " + r + " has " + row.size()
                        + " fields but the header has " + header.size());
            }
            rows.add(row);
        }
        return new CsvTable(source, header, rows);
    }

    public int size() {
        return rows.size();
    }

    public List<String> header() {
        return header;
    }

    /** The column's index; a clear error naming the file and the columns it has when it is missing. */
    public int column(String name) {
        Integer i = columns.get(name);
        if (i == null)
            throw new IllegalArgumentException(source + " has no column '" + name + "' (it has " + header + ")");
        return i;
    }

    public String get(int row, String column) {
        return rows.get(row).get(column(column));
    }

    public String get(int row, int column) {
        return rows.get(row).get(column);
    }
}

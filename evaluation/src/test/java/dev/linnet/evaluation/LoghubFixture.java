package dev.linnet.evaluation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Small synthetic loghub folders in the real files' layout, for the protocol's bookkeeping tests. */
final class LoghubFixture {
    private LoghubFixture() {}

    /**
     * BGL: n lines; line i (0-based) is an alert when alerts contains i; its template is "E" + templates[i].
     * Alert lines carry the tag KERNDTLB and a FATAL message, normal lines "-" and an INFO message.
     */
    static void writeBgl(Path loghub, int n, List<Integer> alerts, int[] templates) throws IOException {
        Path dir = Files.createDirectories(loghub.resolve("BGL"));
        StringBuilder log = new StringBuilder(), labels = new StringBuilder("LineId,AlertTag,IsAlert\r\n");
        StringBuilder structured = new StringBuilder(
                "LineId,Label,Timestamp,Date,Node,Time,NodeRepeat,Type,Component,Level,Content,EventId,EventTemplate\r\n");
        for (int i = 0; i < n; i++) {
            boolean alert = alerts.contains(i);
            String tag = alert ? "KERNDTLB" : "-";
            String ts = String.valueOf(1117838570L + i);
            String node = "R02-M1-N0-C:J12-U" + (i % 3);
            String time = "2005-06-03-15.42." + String.format("%02d", i % 60) + ".675872";
            String content = alert
                    ? "data TLB error interrupt, code " + templates[i]
                    : "instruction cache parity error corrected, kind " + templates[i];
            String level = alert ? "FATAL" : "INFO";
            log.append(tag)
                    .append(' ')
                    .append(ts)
                    .append(" 2005.06.03 ")
                    .append(node)
                    .append(' ')
                    .append(time)
                    .append(' ')
                    .append(node)
                    .append(" RAS KERNEL ")
                    .append(level)
                    .append(' ')
                    .append(content)
                    .append("\r\n");
            labels.append(i + 1)
                    .append(',')
                    .append(tag)
                    .append(',')
                    .append(alert ? 1 : 0)
                    .append("\r\n");
            structured
                    .append(i + 1)
                    .append(',')
                    .append(tag)
                    .append(',')
                    .append(ts)
                    .append(",2005.06.03,")
                    .append(node)
                    .append(',')
                    .append(time)
                    .append(',')
                    .append(node)
                    .append(",RAS,KERNEL,")
                    .append(level)
                    .append(",\"")
                    .append(content)
                    .append("\",E")
                    .append(templates[i])
                    .append(",\"")
                    .append(content)
                    .append("\"\r\n");
        }
        Files.writeString(dir.resolve("BGL_2k.log"), log, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("BGL_2k.line_labels.csv"), labels, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("BGL_2k.log_structured.csv"), structured, StandardCharsets.UTF_8);
    }

    /** HDFS sessions: each row {label, split, event sequence}; templates T1..T5. */
    static void writeHdfs(Path loghub, List<String[]> rows) throws IOException {
        Path dir = Files.createDirectories(loghub.resolve("hdfs100k_sessions"));
        StringBuilder s = new StringBuilder("BlockId,Label,Split,EventSequence\r\n");
        int k = 0;
        for (String[] r : rows)
            s.append("blk_")
                    .append(1000 + k++)
                    .append(',')
                    .append(r[0])
                    .append(',')
                    .append(r[1])
                    .append(',')
                    .append(r[2])
                    .append("\r\n");
        Files.writeString(dir.resolve("sessions.csv"), s, StandardCharsets.UTF_8);
        Files.writeString(
                dir.resolve("templates.csv"),
                String.join(
                                "\r\n",
                                "TemplateId,Template",
                                "T1,<*> Served block <*> to /<*>",
                                "T2,\"BLOCK* NameSystem.addStoredBlock: blockMap updated: <*> is added to <*> size <*>\"",
                                "T3,Receiving block <*> src: /<*> dest: /<*>",
                                "T4,PacketResponder <*> for block <*> terminating",
                                "T5,writeBlock <*> received exception <*>")
                        + "\r\n",
                StandardCharsets.UTF_8);
    }
}

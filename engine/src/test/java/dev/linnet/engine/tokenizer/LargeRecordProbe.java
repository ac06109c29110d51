package dev.linnet.engine.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Encodes one large synthetic log record and prints its size, token count and time: run in a JVM of
 * limited heap by LargeRecordMemoryTest. Arguments: megabytes of record, fixture tokenizer name, and
 * "collect" (an Encoding with every id) or "stream" (ids passed to a TokenSink and counted).
 */
public final class LargeRecordProbe {
    private LargeRecordProbe() {}

    public static void main(String[] args) {
        int megabytes = Integer.parseInt(args[0]);
        Tokenizer tok = ParityFixtures.tokenizer(args[1]);
        byte[] record = logRecord(megabytes * 1_000_000);
        long t0 = System.nanoTime();
        long tokens;
        if (args[2].equals("stream")) {
            long[] count = {0};
            tok.encodeUtf8(record, 0, record.length, EncodeOptions.DEFAULT, (id, s, e) -> count[0]++);
            tokens = count[0];
        } else {
            tokens = tok.encodeUtf8(record, EncodeOptions.DEFAULT).size();
        }
        long t1 = System.nanoTime();
        System.out.printf("record %d bytes, %d tokens, %.0f ms%n", record.length, tokens, (t1 - t0) / 1e6);
    }

    /** Log lines with varied numbers, ids and paths, joined by newlines, cut to {@code size} bytes. */
    static byte[] logRecord(int size) {
        SplittableRandom rnd = new SplittableRandom(42);
        String[] levels = {"INFO", "WARN", "ERROR", "DEBUG"};
        String[] paths = {"/api/v1/users", "/healthz", "/var/log/syslog", "C:\\Program Files\\App\\app.exe"};
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 256);
        while (out.size() < size) {
            String line = String.format(
                    "2024-%02d-%02dT%02d:%02d:%02d.%03dZ %s [worker-%d] GET %s/%d %d %dms %d.%d.%d.%d"
                            + " trace=%016x msg=\"connexion réinitialisée 接続 %d\"%n",
                    1 + rnd.nextInt(12),
                    1 + rnd.nextInt(28),
                    rnd.nextInt(24),
                    rnd.nextInt(60),
                    rnd.nextInt(60),
                    rnd.nextInt(1000),
                    levels[rnd.nextInt(4)],
                    rnd.nextInt(64),
                    paths[rnd.nextInt(4)],
                    rnd.nextInt(100000),
                    200 + rnd.nextInt(400),
                    rnd.nextInt(5000),
                    rnd.nextInt(256),
                    rnd.nextInt(256),
                    rnd.nextInt(256),
                    rnd.nextInt(256),
                    rnd.nextLong(),
                    rnd.nextInt(100));
            out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
        }
        byte[] all = out.toByteArray();
        return java.util.Arrays.copyOf(all, size);
    }
}

package dev.linnet.flink.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Made-up service logs (three services, templated lines with varying fields, a few injected faults): what the
 * embedded run feeds when this build bundles no recorded sample logs, and what the benchmark feeds. Seeded,
 * so every run sends the same lines.
 */
final class SyntheticLogs {

    private SyntheticLogs() {}

    static SampleLog generate(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<SampleLog.Line> lines = new ArrayList<>(count);
        List<SampleLog.Fault> faults = new ArrayList<>();
        String[] services = {"api", "db", "auth"};
        for (int i = 0; i < count; i++) {
            String svc = services[r.nextInt(services.length)];
            boolean fault = count >= 50 && i % (count / 5 + 1) == count / 10 && i > 20;
            lines.add(new SampleLog.Line(svc, i + 1, null, fault ? fault(svc, r) : normal(svc, r)));
            if (fault) {
                faults.add(new SampleLog.Fault(svc, "synthetic " + svc + " failure", i + 1, i + 1));
            }
        }
        return new SampleLog(
                lines,
                faults,
                "synthetic service logs (" + count + " lines, 3 services, a few injected faults), "
                        + "generated because this build bundles no recorded sample logs");
    }

    private static String normal(String svc, SplittableRandom r) {
        return switch (svc) {
            case "api" ->
                String.format(
                        Locale.ROOT,
                        "INFO GET /v1/%s/%d status=200 bytes=%d took=%dms",
                        pick(r, "users", "orders", "items", "carts"),
                        r.nextInt(10_000),
                        200 + r.nextInt(4000),
                        2 + r.nextInt(40));
            case "db" ->
                String.format(
                        Locale.ROOT,
                        "LOG duration: %d.%03d ms statement: SELECT * FROM %s WHERE id = %d",
                        r.nextInt(20),
                        r.nextInt(1000),
                        pick(r, "users", "orders", "items"),
                        r.nextInt(100_000));
            default ->
                String.format(
                        Locale.ROOT,
                        "INFO login ok user=u%d method=%s session=%08x",
                        r.nextInt(5000),
                        pick(r, "password", "token", "sso"),
                        r.nextInt());
        };
    }

    private static String fault(String svc, SplittableRandom r) {
        return switch (svc) {
            case "api" ->
                "ERROR upstream connect error or disconnect/reset before headers. reset reason: connection termination";
            case "db" ->
                String.format(
                        Locale.ROOT,
                        "PANIC could not write to file \"pg_wal/xlogtemp.%d\": No space left on device",
                        r.nextInt(100_000));
            default ->
                "FATAL java.lang.OutOfMemoryError: Java heap space at com.example.auth.TokenCache.put(TokenCache.java:88)";
        };
    }

    private static String pick(SplittableRandom r, String... options) {
        return options[r.nextInt(options.length)];
    }
}

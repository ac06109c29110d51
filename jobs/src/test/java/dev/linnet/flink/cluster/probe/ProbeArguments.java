package dev.linnet.flink.cluster.probe;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The probe job's command line: four required {@code --name value} options, and a message naming what is wrong. */
record ProbeArguments(String bootstrapServers, String inputTopic, String outputTopic, String transactionalIdPrefix) {

    private static final List<String> NAMES =
            List.of("--bootstrap-servers", "--input-topic", "--output-topic", "--transactional-id-prefix");

    static ProbeArguments parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!NAMES.contains(args[i])) {
                throw new IllegalArgumentException("unknown argument '" + args[i] + "'; expected " + NAMES);
            }
            if (i + 1 >= args.length || args[i + 1].isBlank()) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            values.put(args[i], args[++i]);
        }
        for (String n : NAMES) {
            if (!values.containsKey(n)) {
                throw new IllegalArgumentException("missing " + n + "; the probe job needs " + NAMES);
            }
        }
        return new ProbeArguments(
                values.get(NAMES.get(0)), values.get(NAMES.get(1)), values.get(NAMES.get(2)), values.get(NAMES.get(3)));
    }
}

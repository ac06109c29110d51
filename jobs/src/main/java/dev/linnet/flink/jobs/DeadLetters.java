package dev.linnet.flink.jobs;

import dev.linnet.flink.operator.RejectedRecord;

/** Dead letters for records the scorer refused, with the line context they carried. */
final class DeadLetters {

    private DeadLetters() {}

    static DeadLetter fromRejected(RejectedRecord rejected) {
        DeadLetter d = new DeadLetter();
        d.reason = DeadLetterReason.SCORER_REJECTED;
        d.action = "dropped";
        d.detail = rejected.reason + ": " + rejected.detail;
        d.key = rejected.key;
        try {
            LogLine line = LineContextCodec.decode(rejected.recordId);
            d.topic = line.topic;
            d.partition = line.partition;
            d.offset = line.offset;
            d.timestamp = line.timestamp;
            d.value = line.text;
        } catch (IllegalArgumentException e) {
            d.detail += " (" + e.getMessage() + ")";
        }
        return d;
    }
}

package dev.linnet.flink.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes a {@link LogLine} into the scorer's record id and reads it back. The scorer echoes the record id
 * untouched into its output and its rejects, so the line, its Kafka coordinates and its flags come out the
 * other side without a join or extra state.
 */
public final class LineContextCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LineContextCodec() {}

    public static String encode(LogLine line) {
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the line's context: " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException when the id was not written by {@link #encode} */
    public static LogLine decode(String recordId) {
        if (recordId == null) {
            throw new IllegalArgumentException("record without the line's context (null record id)");
        }
        try {
            return JSON.readValue(recordId, LogLine.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("record id is not a line context: " + e.getOriginalMessage(), e);
        }
    }
}

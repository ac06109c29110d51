package dev.linnet.flink.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.engine.state.StatePrecision;
import dev.linnet.engine.state.StreamState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * Upgrade test in the manner of Flink's TypeSerializerUpgradeTestBase: bytes written by format version 1
 * (a versioned snapshot, then one float32 and one bfloat16 value) are committed as a fixture, and every later
 * build must restore a serializer from that snapshot and read those values back exactly.
 *
 * <p>The fixture was made once with {@code -Dlinnet.writeStateFixture=<dir>} (see {@link #write}); never
 * regenerate it for a new version: add a new fixture beside it.
 */
class FormatVersionOneFixtureTest {

    private static final String FIXTURE = "stream-state-format-v1.bin";
    private static final StateSchema SCHEMA = TestStates.small(TestStates.FINGERPRINT_A, StatePrecision.FLOAT32);

    private static StreamState float32Value() {
        return TestStates.filled(SCHEMA, 42, 1000, false);
    }

    private static StreamState bfloat16Value() {
        return TestStates.filled(SCHEMA, 43, 2000, true);
    }

    @Test
    void version1BytesAreStillRead() throws IOException {
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream(FIXTURE)) {
            assertNotNull(in, "fixture " + FIXTURE + " missing from test resources");
            bytes = in.readAllBytes();
        }
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        TypeSerializerSnapshot<StreamState> snapshot =
                TypeSerializerSnapshot.readVersionedSnapshot(in, getClass().getClassLoader());
        assertTrue(new StreamStateSerializer(SCHEMA)
                .snapshotConfiguration()
                .resolveSchemaCompatibility(snapshot)
                .isCompatibleAsIs());
        TypeSerializer<StreamState> restore = snapshot.restoreSerializer();
        assertTrue(float32Value().sameAs(restore.deserialize(in)), "float32 value");
        assertTrue(bfloat16Value().sameAs(restore.deserialize(in)), "bfloat16 value");
        assertEquals(0, in.available(), "trailing bytes in the fixture");
    }

    /** Writes the fixture when -Dlinnet.writeStateFixture names a directory; otherwise does nothing. */
    @Test
    void write() throws IOException {
        String dir = System.getProperty("linnet.writeStateFixture");
        if (dir == null) {
            return;
        }
        DataOutputSerializer out = new DataOutputSerializer(4096);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, new StreamStateSerializer(SCHEMA).snapshotConfiguration());
        new StreamStateSerializer(SCHEMA).serialize(float32Value(), out);
        new StreamStateSerializer(SCHEMA.withPrecision(StatePrecision.BFLOAT16)).serialize(bfloat16Value(), out);
        Files.write(Path.of(dir, FIXTURE), out.getCopyOfBuffer());
    }
}

package dev.linnet.flink.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.engine.state.StreamState;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The snapshot's round trip and its judgement of a restored snapshot; corrupt or mismatched values. */
class StreamStateSerializerSnapshotTest {

    private static final StateSchema A32 = TestStates.small(TestStates.FINGERPRINT_A, PayloadPrecision.FLOAT32);
    private static final StateSchema A16 = A32.withPrecision(PayloadPrecision.BFLOAT16);

    @Test
    void snapshotRoundTripsThroughItsVersionedForm() throws IOException {
        TypeSerializerSnapshot<StreamState> read = roundTrip(new StreamStateSerializer(A16).snapshotConfiguration());
        assertInstanceOf(StreamStateSerializerSnapshot.class, read);
        assertEquals(A16, ((StreamStateSerializerSnapshot) read).schema());
        assertEquals(new StreamStateSerializer(A16), read.restoreSerializer());
    }

    @Test
    void sameModelIsCompatibleAsIsEvenAcrossPrecisions() throws IOException {
        TypeSerializerSnapshot<StreamState> restored = roundTrip(new StreamStateSerializer(A16).snapshotConfiguration());
        TypeSerializerSchemaCompatibility<StreamState> c =
                new StreamStateSerializer(A32).snapshotConfiguration().resolveSchemaCompatibility(restored);
        assertTrue(c.isCompatibleAsIs());

        // and indeed: a float32 serializer reads what a bfloat16 one wrote
        StreamState s = TestStates.filled(A16, 5, 99, true);
        DataOutputSerializer out = new DataOutputSerializer(256);
        new StreamStateSerializer(A16).serialize(s, out);
        StreamState back = new StreamStateSerializer(A32).deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertTrue(s.sameAs(back));
    }

    @Test
    void anotherModelFailsTheRestoreNamingBothModelsAndTheDifference() throws IOException {
        TypeSerializerSnapshot<StreamState> restored = roundTrip(new StreamStateSerializer(A32).snapshotConfiguration());
        StateSchema other = new StateSchema(TestStates.FINGERPRINT_B, 2, 18, 1, 4, 6, 16, PayloadPrecision.FLOAT32);
        IncompatibleModelStateException e = assertThrows(IncompatibleModelStateException.class,
                () -> new StreamStateSerializer(other).snapshotConfiguration().resolveSchemaCompatibility(restored));
        String m = e.getMessage();
        assertTrue(m.contains("a1a1a1a1a1a1"), m);
        assertTrue(m.contains("b2b2b2b2b2b2"), m);
        assertTrue(m.contains("hidden size 8 -> 16"), m);
        assertFalse(m.contains("window 4 ->"), "only what differs is listed: " + m);
    }

    @Test
    void sameShapesButOtherWeightsAreIncompatibleToo() throws IOException {
        TypeSerializerSnapshot<StreamState> restored = roundTrip(new StreamStateSerializer(A32).snapshotConfiguration());
        StateSchema fineTuned = TestStates.small(TestStates.FINGERPRINT_B, PayloadPrecision.FLOAT32);
        assertThrows(IncompatibleModelStateException.class,
                () -> new StreamStateSerializer(fineTuned).snapshotConfiguration().resolveSchemaCompatibility(restored));
    }

    @Test
    void aSnapshotOfAnotherSerializerIsIncompatible() {
        TypeSerializerSchemaCompatibility<StreamState> c = new StreamStateSerializer(A32).snapshotConfiguration()
                .resolveSchemaCompatibility(foreignSnapshot());
        assertTrue(c.isIncompatible());
    }

    @Test
    void aSnapshotFromANewerFormatVersionIsRefusedClearly() {
        StreamStateSerializerSnapshot s = new StreamStateSerializerSnapshot();
        IOException e = assertThrows(IOException.class,
                () -> s.readSnapshot(2, new DataInputDeserializer(new byte[64]), getClass().getClassLoader()));
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());
    }

    @Test
    void aCorruptValueIsReportedNotMisread() {
        byte[] garbage = {9, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new StreamStateSerializer(A32).deserialize(new DataInputDeserializer(garbage)));
        assertTrue(e.getMessage().contains("unknown payload tag 9"), e.getMessage());

        byte[] negativeTokens = {1, -1, -1, -1, -1, -1, -1, -1, -1};
        e = assertThrows(IllegalStateException.class,
                () -> new StreamStateSerializer(A32).deserialize(new DataInputDeserializer(negativeTokens)));
        assertTrue(e.getMessage().contains("tokens seen"), e.getMessage());
    }

    @Test
    void aStateOfAnotherShapeIsRefusedOnWrite() {
        StreamState wrongShape = new StateSchema(TestStates.FINGERPRINT_A, 2, 18, 1, 4, 6, 16, PayloadPrecision.FLOAT32)
                .newState();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StreamStateSerializer(A32).serialize(wrongShape, new DataOutputSerializer(64)));
        assertTrue(e.getMessage().contains("hidden 16"), e.getMessage());
    }

    @Test
    void bfloat16ValuesAreHalfTheSize() throws IOException {
        StreamState s = TestStates.filled(A32, 8, 3, false);
        DataOutputSerializer f32 = new DataOutputSerializer(256);
        DataOutputSerializer b16 = new DataOutputSerializer(256);
        new StreamStateSerializer(A32).serialize(s, f32);
        new StreamStateSerializer(A16).serialize(s, b16);
        long numbers = A32.numbersPerState();
        assertEquals(9 + 4 * numbers, f32.length());
        assertEquals(9 + 2 * numbers, b16.length());
    }

    private static TypeSerializerSnapshot<StreamState> roundTrip(TypeSerializerSnapshot<StreamState> s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, s);
        return TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), StreamStateSerializerSnapshotTest.class.getClassLoader());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static TypeSerializerSnapshot<StreamState> foreignSnapshot() {
        return (TypeSerializerSnapshot) org.apache.flink.api.common.typeutils.base.StringSerializer.INSTANCE
                .snapshotConfiguration();
    }
}

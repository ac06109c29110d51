package dev.linnet.flink.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.engine.state.StateFormatException;
import dev.linnet.engine.state.StatePrecision;
import dev.linnet.engine.state.StreamState;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The snapshot's round trip and its judgement of a restored snapshot; corrupt or mismatched values. */
class StreamStateSerializerSnapshotTest {

    private static final StateSchema A32 = TestStates.small(TestStates.FINGERPRINT_A, StatePrecision.FLOAT32);
    private static final StateSchema A16 = A32.withPrecision(StatePrecision.BFLOAT16);

    @Test
    void snapshotRoundTripsThroughItsVersionedForm() throws IOException {
        TypeSerializerSnapshot<StreamState> read = roundTrip(new StreamStateSerializer(A16).snapshotConfiguration());
        assertInstanceOf(StreamStateSerializerSnapshot.class, read);
        assertEquals(A16, ((StreamStateSerializerSnapshot) read).schema());
        assertEquals(new StreamStateSerializer(A16), read.restoreSerializer());
    }

    @Test
    void sameModelIsCompatibleAsIsEvenAcrossPrecisions() throws IOException {
        TypeSerializerSnapshot<StreamState> restored =
                roundTrip(new StreamStateSerializer(A16).snapshotConfiguration());
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
        TypeSerializerSnapshot<StreamState> restored =
                roundTrip(new StreamStateSerializer(A32).snapshotConfiguration());
        StateSchema other = new StateSchema(TestStates.FINGERPRINT_B, 2, 18, 1, 4, 6, 16, StatePrecision.FLOAT32);
        IncompatibleModelStateException e = assertThrows(
                IncompatibleModelStateException.class,
                () -> new StreamStateSerializer(other).snapshotConfiguration().resolveSchemaCompatibility(restored));
        String m = e.getMessage();
        assertTrue(m.contains("a1a1a1a1a1a1"), m);
        assertTrue(m.contains("b2b2b2b2b2b2"), m);
        assertTrue(m.contains("hidden size 8 -> 16"), m);
        assertFalse(m.contains("window 4 ->"), "only what differs is listed: " + m);
    }

    @Test
    void sameShapesButOtherWeightsAreIncompatibleToo() throws IOException {
        TypeSerializerSnapshot<StreamState> restored =
                roundTrip(new StreamStateSerializer(A32).snapshotConfiguration());
        StateSchema fineTuned = TestStates.small(TestStates.FINGERPRINT_B, StatePrecision.FLOAT32);
        assertThrows(
                IncompatibleModelStateException.class,
                () -> new StreamStateSerializer(fineTuned)
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(restored));
    }

    @Test
    void withAResetListenerAnotherModelIsReportedAndAccepted() throws IOException {
        TypeSerializerSnapshot<StreamState> restored =
                roundTrip(new StreamStateSerializer(A32).snapshotConfiguration());
        StateSchema other = TestStates.small(TestStates.FINGERPRINT_B, StatePrecision.FLOAT32);
        StateSchema[] told = new StateSchema[2];
        StreamStateSerializer resetting = new StreamStateSerializer(other).resettingOnModelChange((r, c) -> {
            told[0] = r;
            told[1] = c;
        });
        assertTrue(resetting
                .snapshotConfiguration()
                .resolveSchemaCompatibility(restored)
                .isCompatibleAsIs());
        assertEquals(A32, told[0]);
        assertEquals(other, told[1]);
        assertEquals(new StreamStateSerializer(other), resetting, "the listener is no part of the format");
        // the listener is never written: a snapshot read back fails again
        TypeSerializerSnapshot<StreamState> written = roundTrip(resetting.snapshotConfiguration());
        assertThrows(IncompatibleModelStateException.class, () -> written.resolveSchemaCompatibility(restored));
    }

    @Test
    void aSnapshotOfAnotherSerializerIsIncompatible() {
        TypeSerializerSchemaCompatibility<StreamState> c =
                new StreamStateSerializer(A32).snapshotConfiguration().resolveSchemaCompatibility(foreignSnapshot());
        assertTrue(c.isIncompatible());
    }

    @Test
    void aSnapshotFromANewerFormatVersionIsRefusedClearly() {
        StreamStateSerializerSnapshot s = new StreamStateSerializerSnapshot();
        IOException e = assertThrows(
                IOException.class,
                () -> s.readSnapshot(
                        4, new DataInputDeserializer(new byte[64]), getClass().getClassLoader()));
        assertTrue(e.getMessage().contains("version 4"), e.getMessage());
    }

    @Test
    void aVersionOneSnapshotReadsAsASchemaWithoutHistory() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        out.writeUTF(A32.modelFingerprint());
        for (int v : new int[] {2, 18, 1, 4, 6, 8}) out.writeInt(v);
        out.writeUTF("FLOAT32");
        StreamStateSerializerSnapshot s = new StreamStateSerializerSnapshot();
        s.readSnapshot(
                1, new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertEquals(A32, s.schema());
    }

    @Test
    void aVersionTwoSnapshotReadsAsAHistoryWithoutSparseContexts() throws IOException {
        dev.linnet.engine.history.HistoryConfig d = dev.linnet.engine.history.HistoryConfig.DEFAULT;
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeUTF(A32.modelFingerprint());
        for (int v : new int[] {2, 18, 1, 4, 6, 8}) out.writeInt(v);
        out.writeUTF("FLOAT32");
        out.writeBoolean(true);
        out.writeInt(d.orders().size());
        for (var o : d.orders()) {
            out.writeInt(o.order());
            out.writeInt(o.slotBits());
            out.writeInt(o.width());
        }
        for (int v : new int[] {d.matchOrder(), d.ringBits(), d.indexBits(), d.stickyMisses()}) out.writeInt(v);
        for (double v : new double[] {d.concentration(), d.discount(), d.mixerRate()}) out.writeDouble(v);
        StreamStateSerializerSnapshot s = new StreamStateSerializerSnapshot();
        s.readSnapshot(
                2, new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        dev.linnet.engine.history.HistoryConfig read = s.schema().history();
        assertEquals(d.orders(), read.orders());
        assertTrue(read.sparse().isEmpty() && !d.sparse().isEmpty());
        assertTrue(!read.equals(d));
    }

    @Test
    void aSchemaWithAHistoryRoundTripsAndDiffersFromOneWithout() throws IOException {
        StateSchema h = new StateSchema(
                TestStates.FINGERPRINT_A,
                2,
                18,
                1,
                4,
                6,
                8,
                StatePrecision.FLOAT32,
                dev.linnet.engine.history.HistoryConfig.DEFAULT);
        TypeSerializerSnapshot<StreamState> read = roundTrip(new StreamStateSerializer(h).snapshotConfiguration());
        assertEquals(h, ((StreamStateSerializerSnapshot) read).schema());
        assertTrue(h.newState().history() != null && h.fits(h.newState()) && !A32.fits(h.newState()));
        assertTrue(!h.sameModelAs(A32));
        assertTrue(
                h.differencesFrom(A32).toString().contains("history"),
                h.differencesFrom(A32).toString());
        StreamState s = h.newState();
        DataOutputSerializer out = new DataOutputSerializer(256);
        new StreamStateSerializer(h).serialize(s, out);
        assertTrue(new StreamStateSerializer(h)
                .deserialize(new DataInputDeserializer(out.getCopyOfBuffer()))
                .sameAs(s));
    }

    @Test
    void aCorruptValueIsReportedNotMisread() throws IOException {
        byte[] badLength = {0x7f, 0, 0, 0, 1, 2, 3};
        IOException e = assertThrows(
                IOException.class,
                () -> new StreamStateSerializer(A32).deserialize(new DataInputDeserializer(badLength)));
        assertTrue(e.getMessage().contains("length 2130706432"), e.getMessage());

        byte[] good = serialized(A32, TestStates.filled(A32, 6, 10, false));
        good[good.length - 20] ^= 1;
        StateFormatException f = assertThrows(
                StateFormatException.class,
                () -> new StreamStateSerializer(A32).deserialize(new DataInputDeserializer(good)));
        assertTrue(f.getMessage().contains("checksum"), f.getMessage());
    }

    @Test
    void aValueOfAnotherModelIsRefused() throws IOException {
        StateSchema b = TestStates.small(TestStates.FINGERPRINT_B, StatePrecision.FLOAT32);
        byte[] ofB = serialized(b, TestStates.filled(b, 7, 10, false));
        StateFormatException f = assertThrows(
                StateFormatException.class,
                () -> new StreamStateSerializer(A32).deserialize(new DataInputDeserializer(ofB)));
        assertTrue(f.getMessage().contains("another model"), f.getMessage());
    }

    @Test
    void aStateOfAnotherShapeIsRefusedOnWrite() {
        StreamState wrongShape =
                new StateSchema(TestStates.FINGERPRINT_A, 2, 18, 1, 4, 6, 16, StatePrecision.FLOAT32).newState();
        assertThrows(
                IllegalArgumentException.class,
                () -> new StreamStateSerializer(A32).serialize(wrongShape, new DataOutputSerializer(64)));
    }

    @Test
    void bfloat16ValuesCarryHalfTheNumbersBytes() throws IOException {
        StreamState s = TestStates.filled(A32, 8, 100, false);
        int f32 = serialized(A32, s).length;
        int b16 = serialized(A16, s).length;
        long numbers = 2 * 18 + 2 * 4 * 6 + 8;
        assertEquals(4 * numbers, f32 - b16 + 2 * numbers);
        assertEquals(Integer.BYTES + A32.codec().encodedSize(100), f32);
    }

    @Test
    void copyingSerializedBytesKeepsThemReadable() throws IOException {
        StreamState s = TestStates.filled(A16, 9, 2, true);
        DataOutputSerializer copied = new DataOutputSerializer(256);
        new StreamStateSerializer(A16).copy(new DataInputDeserializer(serialized(A16, s)), copied);
        assertTrue(s.sameAs(
                new StreamStateSerializer(A32).deserialize(new DataInputDeserializer(copied.getCopyOfBuffer()))));
    }

    private static byte[] serialized(StateSchema schema, StreamState s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        new StreamStateSerializer(schema).serialize(s, out);
        return out.getCopyOfBuffer();
    }

    private static TypeSerializerSnapshot<StreamState> roundTrip(TypeSerializerSnapshot<StreamState> s)
            throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, s);
        return TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()),
                StreamStateSerializerSnapshotTest.class.getClassLoader());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static TypeSerializerSnapshot<StreamState> foreignSnapshot() {
        return (TypeSerializerSnapshot)
                org.apache.flink.api.common.typeutils.base.StringSerializer.INSTANCE.snapshotConfiguration();
    }
}

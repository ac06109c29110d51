package dev.linnet.flink.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.engine.model.ChunkResult;
import dev.linnet.engine.model.ForwardOptions;
import dev.linnet.engine.model.Model;
import dev.linnet.engine.state.StatePrecision;
import dev.linnet.engine.state.StreamState;
import dev.linnet.flink.testing.GoldenModels;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The schema of a real model's states, and a stream resumed from its stored state continuing bit for bit. */
class StateSchemaOfModelTest {

    @Test
    void schemaMatchesTheModelsStates() {
        Model model = GoldenModels.tiny();
        StateSchema schema = StateSchema.of(model, StatePrecision.FLOAT32);
        assertEquals(model.fingerprint(), schema.modelFingerprint());
        assertEquals(7, schema.linearLayers());
        assertEquals(1, schema.windowLayers());
        assertEquals(model.window(), schema.window());
        assertEquals(64, schema.hidden());
        assertTrue(schema.fits(model.newState()));
        assertTrue(schema.newState().sameAs(model.newState()));
    }

    @Test
    void aStreamResumedFromItsFloat32StateContinuesExactly() throws IOException {
        Model model = GoldenModels.tiny();
        StreamStateSerializer serializer = new StreamStateSerializer(StateSchema.of(model, StatePrecision.FLOAT32));
        int[] first = {1, 17, 230, 5, 99, 400, 12, 7};
        int[] second = {88, 3, 301, 44, 2, 511};

        StreamState uninterrupted = model.newState();
        model.forward(uninterrupted, first, ForwardOptions.DEFAULT);
        ChunkResult expected = model.forward(uninterrupted, second, ForwardOptions.DEFAULT);

        StreamState before = model.newState();
        model.forward(before, first, ForwardOptions.DEFAULT);
        DataOutputSerializer out = new DataOutputSerializer(64 * 1024);
        serializer.serialize(before, out);
        StreamState restored = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        ChunkResult resumed = model.forward(restored, second, ForwardOptions.DEFAULT);

        assertArrayEquals(expected.surprisal(), resumed.surprisal());
        assertArrayEquals(expected.embedding(), resumed.embedding());
        assertTrue(uninterrupted.sameAs(restored));
    }
}

package dev.linnet.flink.state;

import dev.linnet.engine.state.StreamState;
import java.io.IOException;
import java.util.Objects;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink's serializer for one stream's engine state in keyed state (HashMap or RocksDB backend).
 *
 * <p>It holds only a {@link StateSchema} (model fingerprint and shapes), never the model, so it works wherever
 * Flink needs one: in the task, on restore, in the state processor API. Its snapshot
 * ({@link StreamStateSerializerSnapshot}) records the schema, and a restore under another model fails with
 * a message naming what changed.
 *
 * <p>Stateless, so {@link #duplicate()} returns itself; the byte form is {@link StateValueFormat}'s.
 */
public final class StreamStateSerializer extends TypeSerializer<StreamState> {

    private static final long serialVersionUID = 1L;

    private final StateSchema schema;

    public StreamStateSerializer(StateSchema schema) {
        this.schema = Objects.requireNonNull(schema, "schema");
    }

    public StateSchema schema() {
        return schema;
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<StreamState> duplicate() {
        return this;
    }

    @Override
    public StreamState createInstance() {
        return schema.newState();
    }

    @Override
    public StreamState copy(StreamState from) {
        return from.copy();
    }

    @Override
    public StreamState copy(StreamState from, StreamState reuse) {
        return from.copy();
    }

    /** Variable: a value can have been written at either precision. */
    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(StreamState record, DataOutputView target) throws IOException {
        Objects.requireNonNull(record, "a Linnet stream state cannot be null");
        StateValueFormat.write(schema, record, target);
    }

    @Override
    public StreamState deserialize(DataInputView source) throws IOException {
        return StateValueFormat.read(schema, source);
    }

    @Override
    public StreamState deserialize(StreamState reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        StateValueFormat.copy(schema, source, target);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamStateSerializer && ((StreamStateSerializer) o).schema.equals(schema);
    }

    @Override
    public int hashCode() {
        return schema.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<StreamState> snapshotConfiguration() {
        return new StreamStateSerializerSnapshot(schema);
    }

    @Override
    public String toString() {
        return "StreamStateSerializer[" + schema.describe() + "]";
    }
}

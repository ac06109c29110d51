package dev.linnet.flink.state;

import dev.linnet.engine.state.StateCodec;
import dev.linnet.engine.state.StreamState;
import java.io.IOException;
import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;
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
 * <p>A value is stored as an int length and the engine's {@link StateCodec} bytes (which repeat the model
 * fingerprint and carry a checksum, so a stray value of another model or a corrupt one is refused, never
 * misread). Thread-safe and stateless apart from a lazily made codec, so {@link #duplicate()} returns itself.
 */
@PublicEvolving
public final class StreamStateSerializer extends TypeSerializer<StreamState> {

    private static final long serialVersionUID = 1L;

    private final StateSchema schema;
    private final long maxValueBytes;
    private transient volatile StateCodec codec;
    /** Null: a restore under another model fails. Not part of equality: it is how this job reacts, not a format. */
    private final transient ModelChangeListener modelChangeListener;

    public StreamStateSerializer(StateSchema schema) {
        this(schema, null);
    }

    private StreamStateSerializer(StateSchema schema, ModelChangeListener listener) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.maxValueBytes = schema.maxEncodedBytes();
        this.modelChangeListener = listener;
    }

    /**
     * A serializer whose snapshot, on a restore of state written under another model, calls {@code listener}
     * and accepts the state instead of failing; the listener's owner must then clear all restored streams
     * before reading any (their values cannot be decoded under this model).
     */
    public StreamStateSerializer resettingOnModelChange(ModelChangeListener listener) {
        return new StreamStateSerializer(schema, Objects.requireNonNull(listener, "listener"));
    }

    /** The codec values are written with; also what an operator uses to round cached states as stored. */
    public StateCodec codec() {
        StateCodec c = codec;
        if (c == null) {
            c = schema.codec();
            codec = c;
        }
        return c;
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

    /** Variable: a young stream's window rings are only partly filled, and a value can be of either precision. */
    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(StreamState record, DataOutputView target) throws IOException {
        Objects.requireNonNull(record, "a Linnet stream state cannot be null");
        byte[] bytes = codec().encode(record);
        target.writeInt(bytes.length);
        target.write(bytes);
    }

    @Override
    public StreamState deserialize(DataInputView source) throws IOException {
        byte[] bytes = new byte[readLength(source)];
        source.readFully(bytes);
        return codec().decode(bytes);
    }

    @Override
    public StreamState deserialize(StreamState reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        int length = readLength(source);
        target.writeInt(length);
        target.write(source, length);
    }

    private int readLength(DataInputView source) throws IOException {
        int length = source.readInt();
        if (length <= 0 || length > maxValueBytes) {
            throw new IOException(
                    "not a Linnet stream state value: length " + length + " where at most " + maxValueBytes
                            + " bytes fit " + schema.describe() + "; the state is corrupt or of another serializer");
        }
        return length;
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
        return new StreamStateSerializerSnapshot(schema, modelChangeListener);
    }

    @Override
    public String toString() {
        return "StreamStateSerializer[" + schema.describe() + "]";
    }
}

package dev.linnet.flink.state;

import dev.linnet.engine.state.StreamState;
import java.io.IOException;
import java.util.List;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * What a checkpoint or savepoint records about {@link StreamStateSerializer}: the {@link StateSchema}, i.e.
 * the fingerprint of the model that wrote the state and the state's shapes.
 *
 * <p>On restore, the running job's snapshot judges the restored one:
 * <ul>
 *   <li>same model and shapes: compatible as is, also across a change of payload precision (every encoded
 *       value says its own precision, and is rewritten at the new one when next written);</li>
 *   <li>another model: the restore fails with an {@link IncompatibleModelStateException} naming both models
 *       and what differs. Resuming a stream under other weights would give meaningless results silently.
 *       Unless the job opted in to resets ({@link StreamStateSerializer#resettingOnModelChange}): then its
 *       listener is told, the state is accepted as is, and the job clears it before reading any.</li>
 * </ul>
 *
 * <p>Format versions: 3 = schema as {@link StateSchema#write}; 2 = the same without the history's sparse
 * contexts; 1 = without the history predictor (written before models had one). A later version must keep reading
 * all three.
 */
@PublicEvolving
public final class StreamStateSerializerSnapshot implements TypeSerializerSnapshot<StreamState> {

    static final int VERSION = 3;

    private StateSchema schema;
    /** Set only on the running job's snapshot, when it resets streams instead of failing; never written. */
    private ModelChangeListener modelChangeListener;

    /** For Flink, which instantiates snapshots reflectively before {@link #readSnapshot}. */
    public StreamStateSerializerSnapshot() {}

    StreamStateSerializerSnapshot(StateSchema schema) {
        this(schema, null);
    }

    StreamStateSerializerSnapshot(StateSchema schema, ModelChangeListener modelChangeListener) {
        this.schema = schema;
        this.modelChangeListener = modelChangeListener;
    }

    StateSchema schema() {
        return schema;
    }

    @Override
    public int getCurrentVersion() {
        return VERSION;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
        schema.write(out);
    }

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader userCodeClassLoader) throws IOException {
        if (readVersion < 1 || readVersion > VERSION) {
            throw new IOException("Linnet stream state serializer snapshot of version " + readVersion
                    + ": this build reads versions 1 to " + VERSION
                    + " only (the state was written by a newer Linnet)");
        }
        schema = StateSchema.read(in, readVersion);
    }

    @Override
    public TypeSerializer<StreamState> restoreSerializer() {
        return new StreamStateSerializer(schema);
    }

    @Override
    public TypeSerializerSchemaCompatibility<StreamState> resolveSchemaCompatibility(
            TypeSerializerSnapshot<StreamState> oldSerializerSnapshot) {
        if (!(oldSerializerSnapshot instanceof StreamStateSerializerSnapshot)) {
            return TypeSerializerSchemaCompatibility.incompatible();
        }
        StateSchema restored = ((StreamStateSerializerSnapshot) oldSerializerSnapshot).schema;
        if (schema.sameModelAs(restored)) {
            return TypeSerializerSchemaCompatibility.compatibleAsIs();
        }
        if (modelChangeListener != null) {
            modelChangeListener.restoredUnderAnotherModel(restored, schema);
            return TypeSerializerSchemaCompatibility.compatibleAsIs();
        }
        List<String> differences = schema.differencesFrom(restored);
        throw new IncompatibleModelStateException(
                "Linnet keyed state was written under another model: "
                        + String.join(", ", differences) + ". The state holds " + restored.describe()
                        + " but this job runs " + schema.describe() + ". Run the job with the model that wrote the "
                        + "state, or start it without that savepoint, or set linnet.state.on-model-change to RESET, to begin every stream from an empty state.");
    }
}

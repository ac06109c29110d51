package dev.linnet.flink.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.engine.model.ForwardOptions;
import dev.linnet.engine.model.LoadOptions;
import dev.linnet.engine.model.Model;
import dev.linnet.engine.state.StateFormatException;
import dev.linnet.engine.state.StatePrecision;
import dev.linnet.engine.state.StreamState;
import dev.linnet.flink.operator.LinnetMetrics;
import dev.linnet.flink.operator.ModelChangePolicy;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

class PartitionStatesTest {

    private final Model model = SqlTestModel.model();
    private final LinnetMetrics metrics = new LinnetMetrics(new UnregisteredMetricsGroup());

    private PartitionStates states(StatePrecision precision, ModelChangePolicy policy, int maxCached) {
        return new PartitionStates(model, precision, policy, maxCached, metrics);
    }

    private StreamState advanced(Model m, int tokens) {
        StreamState s = m.newState();
        int[] ids = new int[tokens];
        for (int i = 0; i < tokens; i++) {
            ids[i] = (i * 37 + 11) % m.config().vocabSize();
        }
        m.forward(s, ids, ForwardOptions.DEFAULT);
        return s;
    }

    @Test
    void aStateIsReusedOnlyWhileFlinkHoldsExactlyTheBytesItWasStoredAs() {
        PartitionStates states = states(StatePrecision.FLOAT32, ModelChangePolicy.FAIL, 8);
        StreamState s = advanced(model, 20);
        byte[] stored = states.store("k", s);
        assertSame(s, states.load("k", stored), "the very array the heap backend hands back");
        stored = states.store("k", s);
        assertSame(s, states.load("k", stored.clone()), "equal bytes, as RocksDB hands back");
        assertEquals(2, metrics.cacheHits.getCount());

        byte[] older = model.stateCodec(StatePrecision.FLOAT32).encode(advanced(model, 5));
        states.store("k", s);
        StreamState fromOlder = states.load("k", older);
        assertNotSame(s, fromOlder);
        assertEquals(5, fromOlder.tokensSeen(), "anything else is decoded from what Flink holds");
        assertEquals(1, metrics.cacheMisses.getCount());

        states.store("k", s);
        assertEquals(0, states.load("k", null).tokensSeen(), "no stored state (new, or expired): a new stream");
    }

    @Test
    void aFailedRecordNeverLeavesItsHalfAdvancedStateForTheNext() {
        PartitionStates states = states(StatePrecision.FLOAT32, ModelChangePolicy.FAIL, 8);
        byte[] stored = states.store("k", advanced(model, 10));
        StreamState taken = states.load("k", stored);
        model.forward(taken, new int[] {1, 2, 3}, ForwardOptions.DEFAULT); // advanced, but never stored
        StreamState again = states.load("k", stored);
        assertNotSame(taken, again);
        assertEquals(10, again.tokensSeen());
    }

    @Test
    void bfloat16StatesAreCachedAsTheyWillBeDecoded() {
        PartitionStates states = states(StatePrecision.BFLOAT16, ModelChangePolicy.FAIL, 8);
        StreamState s = advanced(model, 30);
        byte[] stored = states.store("k", s);
        StreamState decoded = model.stateCodec(StatePrecision.BFLOAT16).decode(stored);
        assertTrue(decoded.sameAs(states.load("k", stored)));
    }

    @Test
    void aStateOfAnotherModelFailsByDefaultAndStartsAfreshUnderReset() {
        Model other = Model.random(model.config(), 7, LoadOptions.DEFAULT);
        byte[] foreign = other.stateCodec(StatePrecision.FLOAT32).encode(advanced(other, 12));

        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> states(StatePrecision.FLOAT32, ModelChangePolicy.FAIL, 8).load("host-1", foreign));
        assertTrue(
                e.getMessage().contains("another model")
                        && e.getMessage().contains("host-1")
                        && e.getMessage().contains("linnet.state.on-model-change")
                        && e.getMessage().contains(model.fingerprint().substring(0, 12)),
                e.getMessage());

        StreamState reset =
                states(StatePrecision.FLOAT32, ModelChangePolicy.RESET, 8).load("host-1", foreign);
        assertEquals(0, reset.tokensSeen());
        assertEquals(1, metrics.streamsReset.getCount());
    }

    @Test
    void aCorruptStateFailsWithTheCodecsMessage() {
        byte[] stored = model.stateCodec(StatePrecision.FLOAT32).encode(advanced(model, 12));
        stored[stored.length / 2] ^= 0x40;
        StateFormatException e = assertThrows(
                StateFormatException.class,
                () -> states(StatePrecision.FLOAT32, ModelChangePolicy.RESET, 8).load("k", stored));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void theCacheKeepsAtMostItsBoundOfDecodedStates() {
        PartitionStates states = states(StatePrecision.FLOAT32, ModelChangePolicy.FAIL, 2);
        for (String k : new String[] {"a", "b", "c"}) {
            states.store(k, advanced(model, 3));
        }
        assertEquals(2, states.cached());
    }
}

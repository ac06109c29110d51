package dev.linnet.flink.state;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.engine.state.StatePrecision;
import dev.linnet.engine.state.StreamState;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;
import org.junit.jupiter.api.Nested;

/** Flink's own serializer test suite (copy, serialize, duplicate, snapshot, Java serializability) at both precisions. */
class StreamStateSerializerTest {

    abstract static class Suite extends SerializerTestBase<StreamState> {
        Suite() {
            // StreamState has no equals(): compare every number (the concurrent duplicate() check uses this)
            super(new DeeplyEqualsChecker()
                    .withCustomCheck(
                            (a, b) -> a instanceof StreamState && b instanceof StreamState,
                            (a, b, checker) -> ((StreamState) a).sameAs((StreamState) b)));
        }

        abstract StatePrecision precision();

        StateSchema schema() {
            return TestStates.small(TestStates.FINGERPRINT_A, precision());
        }

        @Override
        protected TypeSerializer<StreamState> createSerializer() {
            return new StreamStateSerializer(schema());
        }

        @Override
        protected int getLength() {
            return -1;
        }

        @Override
        protected Class<StreamState> getTypeClass() {
            return StreamState.class;
        }

        @Override
        protected StreamState[] getTestData() {
            boolean bf16 = precision() == StatePrecision.BFLOAT16;
            StreamState special = TestStates.filled(schema(), 3, 7, bf16);
            special.linear(0)[0] = -0.0f;
            special.linear(0)[1] = Float.POSITIVE_INFINITY;
            special.lastHidden()[0] = Float.MIN_NORMAL;
            return new StreamState[] {
                schema().newState(),
                TestStates.filled(schema(), 1, 1, bf16),
                TestStates.filled(schema(), 4, 3, bf16),
                TestStates.filled(schema(), 2, 123_456_789_012L, bf16),
                special,
            };
        }

        @Override
        protected void deepEquals(String message, StreamState should, StreamState is) {
            assertTrue(should.sameAs(is), message + ": states differ");
        }
    }

    @Nested
    class Float32 extends Suite {
        @Override
        StatePrecision precision() {
            return StatePrecision.FLOAT32;
        }
    }

    @Nested
    class BFloat16 extends Suite {
        @Override
        StatePrecision precision() {
            return StatePrecision.BFLOAT16;
        }
    }
}

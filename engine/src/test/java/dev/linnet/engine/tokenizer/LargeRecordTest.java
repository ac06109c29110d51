package dev.linnet.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Records of several MB are encoded in chunks (one chunk's text in memory at a time): the tokens and
 * offsets must be those of the whole record; and a 10 MB record fits in a small heap.
 */
class LargeRecordTest {

    /** The parity corpus, over and over with varied line ends, to just past {@code size} bytes. */
    private static byte[] bigRecord(int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 100_000);
        String[] joins = {"\n", "\r\n", " \n", "\n\n", "\nx", "\t\n", "x\ny"};
        int k = 0;
        while (out.size() < size) {
            for (String text : ParityFixtures.cases().values()) {
                out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
                out.writeBytes(joins[k++ % joins.length].getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    @Test
    void chunkedEncodingGivesTheWholeRecordsTokens() {
        byte[] record = bigRecord(2 * Tokenizer.CHUNK_BYTES + 600_000);
        String text = new String(record, StandardCharsets.UTF_8);
        EncodeOptions options = EncodeOptions.DEFAULT.offsetsReported(true).templateTokensAdded(true);
        for (String name : new String[] {"gpt2-style", "llama3-style"}) {
            Tokenizer tok = ParityFixtures.tokenizer(name);
            assertTrue(tok.encodesInChunks(), name + " allows chunks");
            Encoding whole = tok.encodeText(text, options);
            Encoding chunked = tok.encodeUtf8(record, options);
            assertArrayEquals(whole.ids(), chunked.ids(), name);
            for (int i = 0; i < whole.size(); i += 97) {
                assertEquals(whole.start(i), chunked.start(i), name + " token " + i);
                assertEquals(whole.end(i), chunked.end(i), name + " token " + i);
            }
            List<Integer> streamed = new ArrayList<>();
            tok.encodeUtf8(
                    record,
                    0,
                    record.length,
                    EncodeOptions.DEFAULT.specialTokensRecognized(true),
                    (id, s, e) -> streamed.add(id));
            assertArrayEquals(
                    tok.encodeText(text, EncodeOptions.DEFAULT.specialTokensRecognized(true))
                            .ids(),
                    streamed.stream().mapToInt(Integer::intValue).toArray(),
                    name + " streamed");
        }
        Tokenizer prefixed = Tokenizer.fromJson(
                ParityFixtures.tokenizerJson(ParityFixtures.read("expected-gpt2-prefix-legacy-merges.json.gz")));
        assertTrue(!prefixed.encodesInChunks(), "add_prefix_space forbids cuts");
    }

    @Test
    void tenMegabyteRecordFitsInASmallHeap() throws Exception {
        // a JVM with a 48 MB heap: the 10 MB record, one chunk's text, and the tokens streamed to a counter
        assertEquals(0, probe(48, "stream"), "10 MB record, streamed, -Xmx48m");
        // collecting every id of this small-vocabulary tokenizer (5.9 million ids, 24 MB as int[]) needs more
        assertEquals(0, probe(96, "collect"), "10 MB record, collected, -Xmx96m");
    }

    private static int probe(int heapMb, String mode) throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(
                        java,
                        "-Xmx" + heapMb + "m",
                        "-XX:+UseSerialGC",
                        "-cp",
                        cp,
                        LargeRecordProbe.class.getName(),
                        "10",
                        "llama3-style",
                        mode)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("probe did not finish");
        }
        System.out.print("LargeRecordProbe -Xmx" + heapMb + "m " + mode + ": " + output);
        return p.exitValue();
    }
}

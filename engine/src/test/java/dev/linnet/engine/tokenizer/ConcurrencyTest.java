package dev.linnet.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One tokenizer shared by threads (per-thread caches), and a sink that encodes again from inside. */
class ConcurrencyTest {

    @Test
    void threadsSharingATokenizerGetTheSameIds() throws Exception {
        Tokenizer tok = ParityFixtures.tokenizer("llama3-style");
        List<String> texts = new ArrayList<>(ParityFixtures.cases().values());
        List<int[]> expected = new ArrayList<>();
        for (String t : texts) {
            expected.add(tok.encode(t));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int offset = w;
                jobs.add(pool.submit(() -> {
                    for (int round = 0; round < 5; round++) {
                        for (int i = 0; i < texts.size(); i++) {
                            int k = (i * 7 + offset + round) % texts.size();
                            assertArrayEquals(expected.get(k), tok.encode(texts.get(k)), texts.get(k));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : jobs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSinkMayEncodeWithTheSameTokenizer() {
        Tokenizer tok = ParityFixtures.tokenizer("gpt2-style");
        byte[] record = "outer text with several words, and more words".getBytes(StandardCharsets.UTF_8);
        int[] inner = tok.encode("inner encoding, another text");
        List<Integer> outer = new ArrayList<>();
        tok.encodeUtf8(record, 0, record.length, EncodeOptions.DEFAULT, (id, s, e) -> {
            outer.add(id);
            // the outer encoding is still passing its tokens on while this one runs in the same thread
            assertArrayEquals(inner, tok.encode("inner encoding, another text"));
        });
        assertEquals(tok.encode(new String(record, StandardCharsets.UTF_8)).length, outer.size());
        assertArrayEquals(
                tok.encode(new String(record, StandardCharsets.UTF_8)),
                outer.stream().mapToInt(Integer::intValue).toArray());
    }
}

package dev.linnet.engine.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linnet.engine.config.ConfigParser;
import dev.linnet.engine.model.ForwardOptions;
import dev.linnet.engine.model.LoadOptions;
import dev.linnet.engine.model.Model;
import dev.linnet.engine.testing.Golden;
import dev.linnet.engine.testing.RandomTokens;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The paged stored form: written a record at a time, it reads back as the live state, bit for bit. */
class StatePagesTest {
    /** The tiny hybrid reference model (window 48) with a small history predictor mixed in. */
    static Model model;
    /** The same with the default history predictor, whose megabytes of tables dominate a state as in production. */
    static Model withDefaultHistory;

    @BeforeAll
    static void load() throws Exception {
        model = withHistory("{\"orders\": [[1, 8, 8], [2, 9, 4], [4, 9, 4]], \"sparse\": [[[2], 7, 8]],"
                + " \"ring_bits\": 10, \"index_bits\": 9}");
        withDefaultHistory = withHistory("{}");
    }

    static Model withHistory(String history) throws Exception {
        ObjectNode root = (ObjectNode)
                new ObjectMapper().readTree(Files.readString(Golden.tinyHybrid().resolve("config.json")));
        root.set("linnet_history", new ObjectMapper().readTree(history));
        return Model.random(ConfigParser.parse("test config", root), 3, LoadOptions.DEFAULT);
    }

    /** Lines of a few templates with a varying field: the history's tables fill as on a log. */
    static int[] logLike(long seed, int n) {
        int vocab = model.config().vocabSize();
        SplittableRandom r = new SplittableRandom(seed);
        int[][] lines = new int[6][];
        for (int t = 0; t < lines.length; t++)
            lines[t] = r.ints(5 + r.nextInt(9), 0, vocab).toArray();
        int[] out = new int[n];
        for (int i = 0; i < n; ) {
            int[] line = lines[r.nextInt(lines.length)];
            for (int j = 0; j < line.length && i < n; j++) out[i++] = j == 1 ? r.nextInt(vocab) : line[j];
        }
        return out;
    }

    /** A store of pages: what a key's map state holds. */
    static final class Store {
        final Map<Integer, byte[]> pages = new HashMap<>();
        final TreeSet<Integer> lastWrite = new TreeSet<>();
        long lastBytes;

        long write(StatePages p, StreamState s, long seenBefore, StatePages.Write which) throws Exception {
            lastWrite.clear();
            lastBytes = p.write(s, seenBefore, which, 0, (page, bytes) -> {
                pages.put(page, bytes);
                lastWrite.add(page);
            });
            return lastBytes;
        }

        StreamState read(StatePages p) {
            return p.read(pages.get(0), pages);
        }
    }

    @ParameterizedTest
    @CsvSource({"1, FLOAT32", "7, FLOAT32", "40, FLOAT32", "300, FLOAT32", "7, BFLOAT16", "300, BFLOAT16"})
    void writtenRecordByRecordItReadsBackBitForBit(int chunk, StatePrecision precision) throws Exception {
        StatePages pages = model.statePages(precision);
        StateCodec codec = model.stateCodec(precision);
        Store store = new Store();
        StreamState s = model.newState();
        int[] stream = logLike(5, 1500);
        for (int i = 0; i < stream.length; i += chunk) {
            long before = s.tokensSeen();
            model.forward(s, Arrays.copyOfRange(stream, i, Math.min(stream.length, i + chunk)), ForwardOptions.DEFAULT);
            codec.roundInPlace(s);
            store.write(pages, s, before, StatePages.Write.CHANGED);
            if (i % (chunk * 37) == 0 || i + chunk >= stream.length) {
                assertTrue(store.read(pages).sameAs(s), "after " + s.tokensSeen() + " tokens");
            }
        }
        // a restored stream continues exactly as the live one
        StreamState back = store.read(pages);
        int[] next = RandomTokens.of(9, 30, model.config().vocabSize());
        assertArrayEquals(
                model.forward(s, next, ForwardOptions.DEFAULT).surprisal(),
                model.forward(back, next, ForwardOptions.DEFAULT).surprisal());
        assertTrue(back.sameAs(s));
    }

    @Test
    void aRecordWritesTheHeadItsRingBlocksAndTheHistoryPagesItTouched() throws Exception {
        Model m = withDefaultHistory;
        StatePages pages = m.statePages(StatePrecision.FLOAT32);
        Store store = new Store();
        StreamState s = m.newState();
        int[] stream = logLike(6, 20_000);
        m.forward(s, Arrays.copyOf(stream, 19_960), ForwardOptions.DEFAULT);
        store.write(pages, s, 0, StatePages.Write.CHANGED);
        long before = s.tokensSeen();
        m.forward(s, Arrays.copyOfRange(stream, 19_960, 20_000), ForwardOptions.DEFAULT);
        long whole = m.stateCodec(StatePrecision.FLOAT32).encodedSize(s);
        long written = store.write(pages, s, before, StatePages.Write.CHANGED);
        int window = s.window(), blocks = (window + StatePages.RING_ROWS - 1) / StatePages.RING_ROWS;
        TreeSet<Integer> ring = new TreeSet<>();
        for (long p = before; p < s.tokensSeen(); p++) {
            for (int l = 0; l < s.windowLayers(); l++) {
                ring.add(1 + l * blocks + (int) (p % window) / StatePages.RING_ROWS);
            }
        }
        int firstHistory = 1 + s.windowLayers() * blocks;
        assertEquals(ring, store.lastWrite.headSet(firstHistory).tailSet(1), "ring blocks written");
        assertTrue(store.lastWrite.contains(0), "the head is always written");
        int historyPages = store.lastWrite.tailSet(firstHistory).size();
        // each token changes one slot of each context table, one ring entry and one index entry
        int tables = m.config().history().orders().size()
                + m.config().history().sparse().size();
        assertTrue(historyPages > 0 && historyPages <= 40 * (tables + 2), historyPages + " history pages");
        assertTrue(store.read(pages).sameAs(s));
        System.out.printf(
                "a 40-token record after 19,960 tokens writes %d bytes in %d pages (%d history); the whole state"
                        + " is %d bytes%n",
                written, store.lastWrite.size(), historyPages, whole);
        assertTrue(written < whole / 2, written + " of " + whole);
    }

    @Test
    void pagesTheHeadDoesNotNameAreIgnored() throws Exception {
        StatePages pages = model.statePages(StatePrecision.FLOAT32);
        Store store = new Store();
        StreamState old = model.newState();
        model.forward(old, logLike(7, 900), ForwardOptions.DEFAULT);
        store.write(pages, old, 0, StatePages.Write.CHANGED);
        // the key's stream starts again (its head expired, or the stream was reset): the old pages linger
        StreamState young = model.newState();
        model.forward(young, logLike(8, 20), ForwardOptions.DEFAULT);
        store.write(pages, young, 0, StatePages.Write.CHANGED);
        assertTrue(store.pages.size() > store.lastWrite.size(), "old pages are still there");
        assertTrue(store.read(pages).sameAs(young));
    }

    @Test
    void aMissingPageIsReportedAsSuch() throws Exception {
        StatePages pages = model.statePages(StatePrecision.FLOAT32);
        Store store = new Store();
        StreamState s = model.newState();
        model.forward(s, logLike(9, 300), ForwardOptions.DEFAULT);
        store.write(pages, s, 0, StatePages.Write.CHANGED);
        int last =
                store.pages.keySet().stream().mapToInt(Integer::intValue).max().orElseThrow();
        for (int gone : new int[] {1, last}) {
            Map<Integer, byte[]> less = new HashMap<>(store.pages);
            less.remove(gone);
            MissingPageException e =
                    assertThrows(MissingPageException.class, () -> pages.read(store.pages.get(0), less));
            assertEquals(gone, e.page());
        }
    }

    @Test
    void corruptSwappedOrForeignPagesAreRefused() throws Exception {
        StatePages pages = model.statePages(StatePrecision.FLOAT32);
        Store store = new Store();
        StreamState s = model.newState();
        model.forward(s, logLike(10, 300), ForwardOptions.DEFAULT);
        store.write(pages, s, 0, StatePages.Write.CHANGED);
        byte[] head = store.pages.get(0);

        Map<Integer, byte[]> flipped = new HashMap<>(store.pages);
        byte[] page = flipped.get(1).clone();
        page[7] ^= 1;
        flipped.put(1, page);
        StateFormatException e = assertThrows(StateFormatException.class, () -> pages.read(head, flipped));
        assertTrue(e.getMessage().contains("page 1") && e.getMessage().contains("checksum"), e.getMessage());

        Map<Integer, byte[]> swapped = new HashMap<>(store.pages);
        swapped.put(1, store.pages.get(2));
        e = assertThrows(StateFormatException.class, () -> pages.read(head, swapped));
        assertTrue(e.getMessage().contains("another page's number"), e.getMessage());

        byte[] badHead = head.clone();
        badHead[head.length - 9] ^= 1;
        e = assertThrows(StateFormatException.class, () -> pages.read(badHead, store.pages));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());

        StatePages other = new StatePages("ab".repeat(32), model.newState(), StatePrecision.FLOAT32);
        e = assertThrows(StateFormatException.class, () -> other.read(head, store.pages));
        assertTrue(e.getMessage().contains("another model"), e.getMessage());

        e = assertThrows(StateFormatException.class, () -> pages.read(Arrays.copyOf(head, 50), store.pages));
        assertTrue(e.getMessage().contains("shorter"), e.getMessage());
    }

    @Test
    void everyAndPresentWritesGiveTheSameState() throws Exception {
        StatePages pages = model.statePages(StatePrecision.BFLOAT16);
        StateCodec whole = model.stateCodec(StatePrecision.BFLOAT16);
        StreamState s = model.newState();
        model.forward(s, logLike(11, 700), ForwardOptions.DEFAULT);
        // a state stored whole, read back (no page marked changed), written as pages for the first time
        StreamState migrated = whole.decode(whole.encode(s));
        Store every = new Store();
        every.write(pages, migrated, migrated.tokensSeen(), StatePages.Write.EVERY);
        assertTrue(every.read(pages).sameAs(migrated));
        // a refresh writes every page that exists, and no more than that
        Store changed = new Store();
        StreamState fresh = model.newState();
        model.forward(fresh, logLike(11, 700), ForwardOptions.DEFAULT);
        whole.roundInPlace(fresh);
        changed.write(pages, fresh, 0, StatePages.Write.CHANGED);
        Store present = new Store();
        present.write(pages, fresh, fresh.tokensSeen(), StatePages.Write.PRESENT);
        assertEquals(changed.pages.keySet(), present.pages.keySet());
        assertTrue(present.read(pages).sameAs(fresh));
        assertTrue(every.pages.size() >= present.pages.size());
    }
}

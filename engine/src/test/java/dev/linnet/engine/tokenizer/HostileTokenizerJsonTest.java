package dev.linnet.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile tokenizer.json is refused at load with a message naming the file and the field, before anything is
 * allocated from what it claims: ids beyond the vocabulary, keys given twice, trailing content, files too large.
 */
class HostileTokenizerJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static ObjectNode base() throws IOException {
        try (InputStream in = HostileTokenizerJsonTest.class.getResourceAsStream("/tokenizer/gpt2-style.json")) {
            return (ObjectNode) JSON.readTree(in);
        }
    }

    private Path write(String text) throws IOException {
        Path f = tmp.resolve("t" + System.nanoTime()).resolve("tokenizer.json");
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        return f;
    }

    private Path edited(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode t = base();
        edit.accept(t);
        return write(JSON.writeValueAsString(t));
    }

    private static IllegalArgumentException refused(Path file, String... words) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.load(file));
        assertTrue(e.getMessage().startsWith(file.toString()), "names the file: " + e.getMessage());
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "expected '" + w + "' in: " + e.getMessage());
        }
        return e;
    }

    private static ObjectNode vocab(ObjectNode t) {
        return (ObjectNode) t.get("model").get("vocab");
    }

    @Test
    void theBaseLoads() throws Exception {
        Tokenizer t = Tokenizer.load(edited(x -> {}));
        assertArrayEquals(Tokenizer.fromJson(base()).encode("hello world"), t.encode("hello world"));
    }

    @Test
    void idsBeyondTheVocabularyAreRefusedBeforeAnyArrayIsSized() throws Exception {
        // 2147483646 used to size arrays of 2^31-1 entries (16 GB); 2147483647 overflowed to a negative size
        for (int id : new int[] {Integer.MAX_VALUE - 1, Integer.MAX_VALUE}) {
            Path f = edited(t -> vocab(t).put("zz", id));
            refused(f, "model.vocab", "'zz'", "id " + id, "outside the vocabulary");
        }
        int size = base().get("model").get("vocab").size();
        refused(edited(t -> vocab(t).put("zz", size + 1)), "model.vocab", "outside the vocabulary of " + (size + 1));
        refused(edited(t -> vocab(t).put("zz", -1)), "model.vocab", "'zz'", "id -1");
        refused(edited(t -> vocab(t).put("zz", 1L << 40)), "model.vocab", "id 1099511627776", "outside the vocabulary");
        refused(edited(t -> vocab(t).put("zz", 3.5)), "model.vocab", "3.5", "not an integer");
        refused(edited(t -> vocab(t).put("zz", "7")), "model.vocab", "not an integer");
    }

    @Test
    void twoTokensWithOneIdAreRefused() throws Exception {
        // the new entry takes a free slot's place in size, so another token's id repeats
        refused(edited(t -> vocab(t).put("zz", 5)), "model.vocab", "both have id 5");
    }

    @Test
    void postProcessorIdsMustBeTokensOfTheVocabulary() throws Exception {
        Path roberta = edited(t -> {
            ObjectNode p = t.putObject("post_processor").put("type", "RobertaProcessing");
            p.putArray("cls").add("<s>").add(Integer.MAX_VALUE);
            p.putArray("sep").add("</s>").add(0);
        });
        refused(roberta, "post_processor.cls", "token id 2147483647 is not in the vocabulary");
        Path template = edited(t -> {
            ObjectNode p = t.putObject("post_processor").put("type", "TemplateProcessing");
            ArrayNode single = p.putArray("single");
            single.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
            single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
            p.putObject("special_tokens")
                    .putObject("<s>")
                    .put("id", "<s>")
                    .putArray("ids")
                    .add(-3);
        });
        refused(template, "post_processor.special_tokens.<s>.ids[0]", "token id -3");
        Path notANumber = edited(t -> {
            ObjectNode p = t.putObject("post_processor").put("type", "RobertaProcessing");
            p.putArray("cls").add("<s>").add(1.5);
            p.putArray("sep").add("</s>").add(0);
        });
        refused(notANumber, "post_processor.cls", "expected [token, id]");
    }

    @Test
    void keysGivenTwiceAreRefused() throws Exception {
        String text = JSON.writeValueAsString(base());
        // a vocabulary entry twice: the last would silently win
        String dupToken = text.replaceFirst("\"vocab\":\\{", "\"vocab\":{\"!\":3,");
        refused(write(dupToken), "not valid JSON", "Duplicate field '!'");
        String dupModel = text.substring(0, text.length() - 1) + ",\"model\":{}}";
        refused(write(dupModel), "not valid JSON", "Duplicate field 'model'");
    }

    @Test
    void trailingContentAndBadEncodingAreRefused() throws Exception {
        String text = JSON.writeValueAsString(base());
        refused(write(text + " {}"), "not valid JSON", "Trailing token");
        refused(write(text + "x"), "not valid JSON");
        refused(write("   "), "is empty");
        Path latin1 = write("");
        byte[] bytes = text.replace("\"version\"", "\"v\u00e9rsion\"").getBytes(StandardCharsets.ISO_8859_1);
        Files.write(latin1, bytes);
        refused(latin1, "not valid UTF-8");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Tokenizer.fromJson(new ByteArrayInputStream((text + "]").getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().startsWith("tokenizer.json is not valid JSON"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.fromJson(text + text));
        assertTrue(e.getMessage().startsWith("tokenizer.json is not valid JSON"), e.getMessage());
    }

    @Test
    void aSplitRegexThatBacktracksCatastrophicallyFailsTheTextNotTheThread() throws Exception {
        // (a+)+\1$ needs about 2^n steps on n a's not followed by the end (java.util.regex memoizes (a+)+$, not
        // this): 24 a's take 0.7 s, a record of 40 would hold the thread for half a day
        Tokenizer t = Tokenizer.load(edited(x -> {
            ObjectNode split = JSON.createObjectNode()
                    .put("type", "Split")
                    .put("behavior", "Isolated")
                    .put("invert", false);
            split.putObject("pattern").put("Regex", "(a+)+\\1$");
            ObjectNode byteLevel =
                    ((ObjectNode) x.get("pre_tokenizer")).deepCopy().put("use_regex", false);
            ObjectNode seq = x.putObject("pre_tokenizer").put("type", "Sequence");
            seq.putArray("pretokenizers").add(split).add(byteLevel);
        }));
        assertTrue(t.encode("aaaa b").length > 0, "an ordinary text splits");
        String hostile = "a".repeat(40) + "!";
        RegexBudgetException e = assertTimeoutPreemptively(
                Duration.ofSeconds(20), () -> assertThrows(RegexBudgetException.class, () -> t.encode(hostile)));
        assertTrue(
                e.getMessage().contains("'(a+)+\\1$'") && e.getMessage().contains("backtracks catastrophically"),
                e.getMessage());
        // the budget grows with the text: a long ordinary record still splits
        assertTrue(t.encode("ab ".repeat(200_000)).length > 0);
    }

    @Test
    void filesOverTheCapAreRefusedUnread() throws Exception {
        Path big = tmp.resolve("big").resolve("tokenizer.json");
        Files.createDirectories(big.getParent());
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(Tokenizer.MAX_JSON_BYTES + 1); // sparse: no disk, and the reader must not read it
        }
        refused(
                big,
                "is " + (Tokenizer.MAX_JSON_BYTES + 1) + " bytes, more than the limit of " + Tokenizer.MAX_JSON_BYTES);
        assertEquals(64L << 20, Tokenizer.MAX_JSON_BYTES);
    }
}

package dev.linnet.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A second opinion at full scale: cl100k_base (100k tokens) loaded into this tokenizer as a tokenizer.json
 * must give jtokkit's (= tiktoken's) ids on the parity corpus.
 */
class JtokkitAgreementTest {
    private static Tokenizer ours;
    private static Encoding jtokkit;

    @BeforeAll
    static void load() {
        ours = Cl100kTokenizerJson.tokenizer();
        jtokkit = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
    }

    @Test
    void sameIdsAsJtokkitOnTheParityCorpus() {
        List<String> differing = new ArrayList<>();
        long ids = 0;
        for (Map.Entry<String, String> c : ParityFixtures.cases().entrySet()) {
            int[] expect = jtokkit.encodeOrdinary(c.getValue()).toArray();
            int[] got = ours.encode(c.getValue());
            ids += expect.length;
            if (!java.util.Arrays.equals(expect, got)) {
                differing.add(c.getKey());
            }
        }
        System.out.println("cl100k vs jtokkit: " + ids + " ids, differing cases: " + differing);
        assertTrue(differing.isEmpty(), "cases where ids differ from jtokkit: " + differing);
    }

    @Test
    void specialTokensOnlyWhenAsked() {
        String text = "a<|endoftext|>b";
        // HF gives an added token that is not in the model's vocabulary the next id after it (100256 here),
        // whatever "id" the JSON says (tiktoken's 100257); this tokenizer does the same
        assertEquals(100256, ours.tokenId("<|endoftext|>").getAsInt());
        assertEquals(
                List.of(100256),
                boxed(ours.encode("<|endoftext|>", EncodeOptions.DEFAULT.specialTokensRecognized(true))));
        assertEquals(boxed(jtokkit.encodeOrdinary(text).toArray()), boxed(ours.encode(text)));
    }

    private static List<Integer> boxed(int[] a) {
        List<Integer> out = new ArrayList<>();
        for (int v : a) {
            out.add(v);
        }
        return out;
    }
}

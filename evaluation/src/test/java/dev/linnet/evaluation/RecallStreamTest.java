package dev.linnet.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecallStreamTest {
    private final ByteEncoder bytes = new ByteEncoder();

    @Test
    void everyProbeAsksExactlyDTokensAfterItsFact() {
        int[] distances = {1, 5, 16, 200, 1000};
        RecallStream s = RecallStream.build(bytes, 11, 4, 300, distances);
        assertEquals(4, s.facts().size());
        assertEquals(
                4 * distances.length * ProbeKind.values().length, s.probes().size());
        int[] tokens = s.tokens();
        for (RecallStream.Probe p : s.probes()) {
            RecallStream.Fact f = s.facts().get(p.fact());
            assertTrue(p.branchAt() >= f.end(), "branch before the fact");
            assertEquals(p.distance(), p.branchAt() - f.end() + p.questionStart(), "distance of " + p);
            assertTrue(java.util.Arrays.binarySearch(s.lineStarts(), p.branchAt()) >= 0, "branch on a line boundary");
            if (p.questionStart() > 0) {
                // the cut-short line is the start of the stream's next line, closed with a newline
                for (int j = 0; j < p.questionStart() - 1; j++) assertEquals(tokens[p.branchAt() + j], p.tail()[j]);
                assertEquals('\n', p.tail()[p.questionStart() - 1]);
            }
            String question = ByteEncoder.decode(p.tail(), p.questionStart(), p.valueStart());
            String value = ByteEncoder.decode(p.tail(), p.valueStart(), p.tail().length);
            assertEquals(p.value(), value);
            assertTrue(question.endsWith(" user"), question);
            assertTrue(value.startsWith("="), value);
            String before =
                    ByteEncoder.decode(tokens, 0, p.branchAt()) + ByteEncoder.decode(p.tail(), 0, p.questionStart());
            String key = question.substring(question.indexOf("request_id=") + 11, question.length() - 5);
            switch (p.kind()) {
                case UNSEEN -> {
                    assertFalse(before.contains(key), "control key seen before");
                    assertFalse(
                            ByteEncoder.decode(tokens, 0, tokens.length).contains(value + " "),
                            "control value in the stream");
                }
                case FAMILIAR_VALUE -> {
                    assertFalse(before.contains(key), "control key seen before");
                    assertEquals("=" + f.user(), value);
                    assertEquals(1, count(before, value + " "), "the fact's name occurs once before the question");
                }
                case FACT -> {
                    assertEquals(f.key(), key);
                    assertEquals("=" + f.user(), value);
                    assertEquals(1, count(before, key), "the key occurs once before the question");
                    assertEquals(1, count(before, value + " "), "the value occurs once before the question");
                }
            }
        }
    }

    @Test
    void wrongKeyIsAnotherIdSeenInTheStreamWithItsOwnName() {
        int[] distances = {1, 16, 200, 1000};
        RecallStream s = RecallStream.build(bytes, 11, 6, 300, distances);
        int[] tokens = s.tokens();
        int wrongProbes = 0;
        for (RecallStream.Probe p : s.probes()) {
            if (p.kind() != ProbeKind.WRONG_KEY) continue;
            wrongProbes++;
            RecallStream.Fact f = s.facts().get(p.fact());
            String question = ByteEncoder.decode(p.tail(), p.questionStart(), p.valueStart());
            String key = question.substring(question.indexOf("request_id=") + 11, question.length() - 5);
            assertEquals(p.key(), key, "the probe records the key it asks about");
            assertNotEquals(f.key(), key, "the wrong key is not the fact's");
            assertEquals("=" + f.user(), p.value(), "the answer scored is the fact's name");
            String before = ByteEncoder.decode(tokens, 0, p.branchAt());
            String binding = "request_id=" + key + " user=";
            assertEquals(
                    1, count(before, binding), "the wrong key was read once, in a session line, before the question");
            int from = before.indexOf(binding) + binding.length();
            String itsUser = before.substring(from, before.indexOf(' ', from));
            assertNotEquals(f.user(), itsUser, "bound to another name");
            // the fact's own probe at the same distance branches at the same point
            assertTrue(s.probes().stream()
                    .anyMatch(q -> q.kind() == ProbeKind.FACT
                            && q.fact() == p.fact()
                            && q.distance() == p.distance()
                            && q.branchAt() == p.branchAt()));
        }
        assertEquals(6 * distances.length, wrongProbes);
    }

    @Test
    void wrongKeyIsTheNearestCandidateReadInFull() {
        List<RecallStream.Fact> c = List.of(
                new RecallStream.Fact(0, 100, "a", "ua"),
                new RecallStream.Fact(5, 400, "b", "ub"),
                new RecallStream.Fact(7, 500, "c", "uc"),
                new RecallStream.Fact(9, 640, "d", "ud"));
        // for "b" (ends at 400): "a" is 300 before, "c" 100 after but only once the stream has read it
        assertEquals("a", RecallStream.wrongKey(c, 1, 499).key());
        assertEquals("c", RecallStream.wrongKey(c, 1, 500).key());
        // for "c" (ends at 500): "b" 100 before, "d" 140 after: the nearer
        assertEquals("b", RecallStream.wrongKey(c, 2, 10_000).key());
        // a tie goes to the earlier line
        List<RecallStream.Fact> tie =
                List.of(c.get(0), new RecallStream.Fact(3, 200, "m", "um"), new RecallStream.Fact(4, 300, "n", "un"));
        assertEquals("a", RecallStream.wrongKey(tie, 1, 10_000).key());
        assertEquals("c", RecallStream.wrongKey(c, 3, 10_000).key(), "the last candidate takes the one before it");
    }

    @Test
    void factsComeAfterThePreambleAndTheStreamReachesTheLastProbe() {
        RecallStream s = RecallStream.build(bytes, 2, 3, 500, new int[] {64, 3000});
        int[] starts = s.lineStarts();
        for (RecallStream.Fact f : s.facts()) assertTrue(starts[f.line()] >= 500);
        assertTrue(s.tokensNeeded() <= s.tokens().length);
        RecallStream.Fact last = s.facts().get(2);
        assertTrue(s.tokens().length > last.end() + 3000);
    }

    @Test
    void sameSeedSameStream() {
        RecallStream a = RecallStream.build(bytes, 5, 2, 100, new int[] {10, 100});
        RecallStream b = RecallStream.build(bytes, 5, 2, 100, new int[] {10, 100});
        assertArrayEquals(a.tokens(), b.tokens());
        assertEquals(a.probes().size(), b.probes().size());
        for (int i = 0; i < a.probes().size(); i++)
            assertArrayEquals(a.probes().get(i).tail(), b.probes().get(i).tail());
    }

    @Test
    void valueSpanMustBeCleanlySeparated() {
        // a tokenizer with one token for "r=" cannot give the answer's own tokens after a question ending in "user"
        TextEncoder glue = text -> bytes.encode(text.replace("r=", "\u00e9"));
        assertEquals(null, RecallStream.valueTokens(glue, "x user", "=maria.x", " amount=1"));
        int[][] ok = RecallStream.valueTokens(bytes, "x user", "=maria.x", " amount=1");
        assertEquals("=maria.x", ByteEncoder.decode(ok[1], 0, ok[1].length));
    }

    @Test
    void tokenizersThatGlueEqualsToTheLettersAfterItWork() {
        // as cl100k-style pre-tokenizers do: "=m" is one piece
        TextEncoder glue = text -> bytes.encode(text.replace("=m", "\u00e9"));
        int[][] ok = RecallStream.valueTokens(glue, "x user", "=maria.x", " amount=1");
        assertEquals("\u00e9aria.x", ByteEncoder.decode(ok[1], 0, ok[1].length));
        RecallStream s = RecallStream.build(glue, 3, 2, 50, new int[] {10});
        assertEquals(2, s.facts().size());
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RecallStream.build(bytes, 1, 0, 0, new int[] {16}));
        assertThrows(IllegalArgumentException.class, () -> RecallStream.build(bytes, 1, 2, 0, new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> RecallStream.build(bytes, 1, 2, 0, new int[0]));
        TextEncoder twoTokenNewline = text -> text.equals("\n") ? new int[] {1, 2} : bytes.encode(text);
        assertThrows(
                IllegalArgumentException.class, () -> RecallStream.build(twoTokenNewline, 1, 2, 0, new int[] {16}));
    }

    private static int count(String hay, String needle) {
        int n = 0;
        for (int i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) n++;
        return n;
    }

    @Test
    void trafficLooksLikeALog() {
        LogTraffic t = new LogTraffic(9);
        List<LogTraffic.Line> lines = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) lines.add(t.next());
        long last = 0;
        for (LogTraffic.Line l : lines) {
            assertTrue(
                    l.text().matches("^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} (INFO |DEBUG|WARN ) .*"),
                    l.text());
            assertTrue(l.millis() > last);
            last = l.millis();
            assertFalse(l.text().contains("\n"));
        }
        assertTrue(lines.stream().anyMatch(LogTraffic.Line::probeCandidate));
        assertTrue(
                lines.stream().anyMatch(l -> l.text().contains("InvoiceService")),
                "follow-ups show the question's pattern");
    }
}

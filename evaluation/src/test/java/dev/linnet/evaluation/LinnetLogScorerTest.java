package dev.linnet.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.linnet.engine.model.ForwardOptions;
import dev.linnet.engine.model.Model;
import dev.linnet.engine.state.StreamState;
import dev.linnet.engine.testing.Golden;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinnetLogScorerTest {
    private final TextEncoder bytes = new ByteEncoder();

    @Test
    void scoredLineCoversOnlyTheScoredPart() {
        ScoredLine l = ScoredLine.of(bytes, "12:00 node7", " RAS KERNEL INFO ok");
        assertEquals("12:00 node7 RAS KERNEL INFO ok\n", ByteEncoder.decode(l.tokens(), 0, l.tokens().length));
        assertEquals(" RAS KERNEL INFO ok", ByteEncoder.decode(l.tokens(), l.scoreFrom(), l.scoreTo()));
        assertThrows(IllegalArgumentException.class, () -> ScoredLine.of(bytes, "x", ""));
    }

    @Test
    void streamScoresAreTheMeanSurprisalOfEachLineGivenEverythingBefore() throws Exception {
        Model model = Model.load(Golden.tinyHybrid());
        List<ScoredLine> warm = List.of(ScoredLine.of(bytes, "t1 ", "boot ok"), ScoredLine.of(bytes, "t2 ", "disk ok"));
        List<ScoredLine> lines = List.of(
                ScoredLine.of(bytes, "t3 ", "disk ok"),
                ScoredLine.of(bytes, "t4 ", "disk FAILED"),
                ScoredLine.of(bytes, "t5 ", "boot ok"));
        double[] scores = new LinnetLogScorer(model, 7, 64).scoreStream(warm, lines);

        // the same by hand: one line at a time, reading each line's surprisal before moving on
        StreamState s = model.newState();
        for (ScoredLine l : warm) model.forward(s, l.tokens(), ForwardOptions.DEFAULT);
        for (int i = 0; i < lines.size(); i++) {
            ScoredLine l = lines.get(i);
            float[] sur = model.forward(s, l.tokens(), ForwardOptions.DEFAULT).surprisal();
            double sum = 0;
            for (int j = l.scoreFrom(); j < l.scoreTo(); j++) sum += sur[j];
            assertEquals(sum / (l.scoreTo() - l.scoreFrom()), scores[i], 1e-4, "line " + i);
        }
    }

    @Test
    void sessionsEachStartFromTheSameWarmPrior() throws Exception {
        Model model = Model.load(Golden.tinyHybrid());
        List<ScoredLine> warm =
                List.of(ScoredLine.of(bytes, "", "Receiving block"), ScoredLine.of(bytes, "", "Served block"));
        List<ScoredLine> a =
                List.of(ScoredLine.of(bytes, "", "Receiving block"), ScoredLine.of(bytes, "", "terminating"));
        List<ScoredLine> b = List.of(ScoredLine.of(bytes, "", "exception"));
        LinnetLogScorer scorer = new LinnetLogScorer(model, 16, 64);
        double[][] both = scorer.scoreSessions(warm, List.of(a, b));
        double[][] onlyB = scorer.scoreSessions(warm, List.of(b));
        assertEquals(onlyB[0][0], both[1][0], 1e-4, "a session does not see another");
        double[] aAsStream = scorer.scoreStream(warm, a);
        assertEquals(aAsStream[0], both[0][0], 1e-4);
        assertEquals(aAsStream[1], both[0][1], 1e-4);
    }

    @Test
    void sharingPrefixesGivesWhatEachSessionGetsAlone() throws Exception {
        Model model = Model.load(Golden.tinyHybrid());
        java.util.Map<String, ScoredLine> lines = new java.util.HashMap<>();
        for (String k : new String[] {"A", "B", "C", "D"})
            lines.put(k, ScoredLine.of(bytes, "", "event " + k + " of the block"));
        List<List<String>> sessions = List.of(
                List.of("A", "B", "C"),
                List.of("A", "B", "D"),
                List.of("A", "C"),
                List.of("B"),
                List.of("A", "B"),
                List.of("A", "B", "C", "C", "A"));
        List<ScoredLine> warm = List.of(ScoredLine.of(bytes, "", "event A of the block"));
        LinnetLogScorer scorer = new LinnetLogScorer(model, 16, 64);
        LinnetLogScorer.SessionReadings readings = scorer.scoreSessionsSharingPrefixes(warm, sessions, lines::get);
        double[][] shared = readings.lineScores();
        long sharedTokens = scorer.tokensFed();
        LinnetLogScorer alone = new LinnetLogScorer(model, 16, 64);
        List<List<ScoredLine>> rendered = new java.util.ArrayList<>();
        for (List<String> s : sessions) rendered.add(s.stream().map(lines::get).toList());
        double[][] separate = alone.scoreSessions(warm, rendered);
        for (int i = 0; i < sessions.size(); i++) {
            assertEquals(sessions.get(i).size(), shared[i].length);
            for (int j = 0; j < shared[i].length; j++)
                assertEquals(separate[i][j], shared[i][j], 1e-4, "session " + i + " line " + j);
        }
        // each session's embedding is the state's after its last line, as if read alone after the warm line
        for (int i = 0; i < sessions.size(); i++) {
            StreamState s = model.newState();
            List<ScoredLine> stream = new java.util.ArrayList<>(warm);
            stream.addAll(rendered.get(i));
            float[] read = model.forward(s, LinnetLogScorer.concat(stream), ForwardOptions.DEFAULT)
                    .embedding();
            assertArrayEquals(read, readings.embedding()[i], 1e-5f, "session " + i);
        }
        // 8 distinct prefixes (A, AB, ABC, ABD, AC, B, ABCC, ABCCA) instead of 16 lines, each plus the warm line
        int line = lines.get("A").tokens().length;
        assertEquals(9L * line, sharedTokens);
        assertEquals(17L * line, alone.tokensFed());
    }
}

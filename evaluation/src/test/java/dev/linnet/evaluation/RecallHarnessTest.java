package dev.linnet.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.engine.model.ChunkResult;
import dev.linnet.engine.model.ForwardOptions;
import dev.linnet.engine.model.Model;
import dev.linnet.engine.state.StreamState;
import dev.linnet.engine.testing.Golden;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness's bookkeeping on the tiny reference model (random weights: it recalls nothing; that is not tested). */
class RecallHarnessTest {
    private final ByteEncoder bytes = new ByteEncoder();

    @Test
    void eachProbeIsScoredAsIfItsWholeStreamRanFromScratch() throws Exception {
        Model model = Model.load(Golden.tinyHybrid());
        int[] distances = {3, 40, 120};
        RecallStream stream = RecallStream.build(bytes, 4, 3, 100, distances);
        RecallHarness harness = new RecallHarness(97, 400, null);
        List<RecallHarness.Outcome> outcomes = harness.run(model, stream);
        assertEquals(stream.probes().size(), outcomes.size());
        long tails = stream.probes().stream().mapToLong(p -> p.tail().length).sum();
        assertEquals(stream.tokensNeeded() + tails, harness.tokensFed());

        for (RecallHarness.Outcome o : outcomes) {
            assertTrue(o.logProb() <= 0 && o.logProb() > -1e4, "log probability " + o.logProb());
            assertTrue(o.correctTokens() >= 0 && o.correctTokens() <= o.probe().valueLength());
            assertEquals(o.correctTokens() == o.probe().valueLength(), o.exact());
        }
        // two probes checked the slow way: the stream up to the branch in one go, then the tail token by token
        for (RecallHarness.Outcome o : List.of(outcomes.get(0), outcomes.get(outcomes.size() - 1))) {
            RecallStream.Probe p = o.probe();
            StreamState s = model.newState();
            model.forward(s, Arrays.copyOf(stream.tokens(), p.branchAt()), ForwardOptions.DEFAULT);
            model.forward(s, Arrays.copyOf(p.tail(), p.valueStart()), ForwardOptions.DEFAULT);
            int[] value = Arrays.copyOfRange(p.tail(), p.valueStart(), p.tail().length);
            double logProb = 0;
            int correct = 0;
            for (int v : value) {
                float[] logits = model.nextLogits(s);
                int best = 0;
                for (int k = 1; k < logits.length; k++) if (logits[k] > logits[best]) best = k;
                if (best == v) correct++;
                ChunkResult r = model.forward(s, new int[] {v}, ForwardOptions.DEFAULT);
                logProb -= r.surprisal()[0];
            }
            assertEquals(logProb, o.logProb(), 1e-3, "log probability of " + p.value());
            assertEquals(correct, o.correctTokens());
        }
    }

    @Test
    void exactMeansGreedyGenerationWritesTheValue() throws Exception {
        Model model = Model.load(Golden.tinyHybrid());
        RecallStream stream = RecallStream.build(bytes, 8, 2, 50, new int[] {8});
        RecallStream.Probe p = stream.probes().get(0);
        StreamState s = model.newState();
        model.forward(s, Arrays.copyOf(stream.tokens(), p.branchAt()), ForwardOptions.DEFAULT);
        int[] question = Arrays.copyOf(p.tail(), p.valueStart());
        int[] generated = model.generate(s, question, p.valueLength(), 0f, 0);
        StreamState copy = model.newState();
        model.forward(copy, Arrays.copyOf(stream.tokens(), p.branchAt()), ForwardOptions.DEFAULT);
        ChunkResult r = model.forward(copy, p.tail(), ForwardOptions.WITH_LOGITS);
        RecallHarness.Outcome o = RecallHarness.score(p, r, model.config().vocabSize());
        int[] value = Arrays.copyOfRange(p.tail(), p.valueStart(), p.tail().length);
        assertEquals(Arrays.equals(generated, value), o.exact());
        // the first generated token is the argmax after the question, so it matches iff the first value token counts as
        // correct
        float[] logits = Arrays.copyOfRange(r.logits(), (p.valueStart() - 1) * 512, p.valueStart() * 512);
        int best = 0;
        for (int k = 1; k < 512; k++) if (logits[k] > logits[best]) best = k;
        assertEquals(best, generated[0]);
    }

    @Test
    void curveAveragesPerDistanceAndKeepsTheControlsApart() {
        RecallStream.Probe a = probe(16, ProbeKind.FACT);
        RecallStream.Probe b = probe(16, ProbeKind.FACT);
        RecallStream.Probe c = probe(16, ProbeKind.UNSEEN);
        RecallStream.Probe f = probe(16, ProbeKind.FAMILIAR_VALUE);
        RecallStream.Probe d = probe(64, ProbeKind.FACT);
        RecallCurve curve = RecallCurve.of(
                "m",
                48,
                List.of(
                        new RecallHarness.Outcome(a, Math.log(0.8), 2, true),
                        new RecallHarness.Outcome(b, Math.log(0.2), 1, false),
                        new RecallHarness.Outcome(c, Math.log(0.01), 0, false),
                        new RecallHarness.Outcome(f, Math.log(0.1), 1, false),
                        new RecallHarness.Outcome(d, Math.log(0.5), 2, true)));
        assertEquals(2, curve.points().size());
        RecallCurve.Point p16 = curve.points().get(0);
        assertEquals(16, p16.distance());
        assertEquals(2, p16.fact().trials());
        assertEquals(0.5, p16.fact().accuracy(), 1e-12);
        assertEquals(0.5, p16.fact().probability(), 1e-12);
        assertEquals((Math.log(0.8) + Math.log(0.2)) / 2, p16.fact().logProbability(), 1e-12);
        assertEquals(0.75, p16.fact().tokenAccuracy(), 1e-12);
        assertEquals(1, p16.unseen().trials());
        assertEquals(0.0, p16.unseen().accuracy(), 1e-12);
        assertEquals(0.01, p16.unseen().probability(), 1e-12);
        assertEquals(p16.fact().logProbability() - Math.log(0.01), p16.gainOverPrior(), 1e-12);
        assertEquals(p16.fact().logProbability() - Math.log(0.1), p16.gainOverFamiliarValue(), 1e-12);
        assertTrue(Double.isNaN(curve.points().get(1).unseen().accuracy()));
        double[] ci = p16.fact().accuracyInterval();
        assertTrue(ci[0] < 0.5 && ci[1] > 0.5);
    }

    private static RecallStream.Probe probe(int distance, ProbeKind kind) {
        return new RecallStream.Probe(0, distance, kind, 10, new int[] {1, 2, 3}, 0, 1, "=x");
    }

    @Test
    void reportTableAndPlotShowEveryModel() throws Exception {
        RecallStream.Probe a = probe(16, ProbeKind.FACT);
        RecallStream.Probe b = probe(1024, ProbeKind.FACT);
        RecallStream.Probe u = probe(16, ProbeKind.UNSEEN);
        RecallStream.Probe n = probe(16, ProbeKind.FAMILIAR_VALUE);
        List<RecallCurve> curves = List.of(
                RecallCurve.of(
                        "hybrid",
                        1024,
                        List.of(
                                new RecallHarness.Outcome(a, 0, 2, true),
                                new RecallHarness.Outcome(b, -1, 0, false),
                                new RecallHarness.Outcome(u, -3, 0, false),
                                new RecallHarness.Outcome(n, -2, 0, false))),
                RecallCurve.of("linear", 0, List.of(new RecallHarness.Outcome(a, -1, 0, false))));
        String table = RecallReport.table(curves);
        assertTrue(
                table.contains(
                        "| 16 | 1.000 +- 0.000 | NaN +- NaN | NaN +- NaN | 0.000 +- 0.000 | NaN +- NaN | NaN +- NaN |"),
                table);
        assertTrue(table.contains("| hybrid | 1024 | 16 | 1 | 1.000 |"), table);
        assertTrue(table.contains("| -2.00 | -3.00 | 0.000 | +2.00 | +3.00 |"), table);
        assertTrue(table.contains("| 1024 | 0.000 +- 0.000 | NaN +- NaN | NaN +- NaN | - | - | - |"), table);
        String svg = RecallReport.svg(curves, "t <&> t");
        javax.xml.parsers.DocumentBuilderFactory f = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        org.w3c.dom.Document doc = f.newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(svg.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getNodeName());
        assertTrue(doc.getElementsByTagName("polyline").getLength() >= 5);
        assertTrue(svg.contains("gain over prior (nats)") && svg.contains("binding gain (nats)"), "three panels");
        assertTrue(RecallReport.textChart(curves).contains("hybrid (window 1024)"));
    }

    @Test
    void wrongKeyControlIsPairedWithTheFactOnTheTinyModel() throws Exception {
        Model model = Model.load(Golden.tinyHybrid());
        int[] distances = {4, 40, 100};
        RecallStream stream = RecallStream.build(bytes, 5, 4, 80, distances);
        List<RecallHarness.Outcome> outcomes = new RecallHarness(64, 2000, null).run(model, stream);
        RecallCurve curve = RecallCurve.of("tiny", model.window(), outcomes);
        assertEquals(distances.length, curve.points().size());
        String streamText = ByteEncoder.decode(stream.tokens(), 0, stream.tokens().length);
        for (RecallCurve.Point p : curve.points()) {
            RecallCurve.Stats w = p.wrongKey();
            assertEquals(4, w.trials(), "one wrong-key question a fact at D = " + p.distance());
            assertTrue(w.accuracy() >= 0 && w.accuracy() <= 1, "a rate: " + w.accuracy());
            assertEquals(Math.sqrt(w.accuracy() * (1 - w.accuracy()) / 4), w.accuracyStandardError(), 1e-12);
            assertTrue(w.logProbability() < 0);
            // the binding gain is the paired difference, trial by trial
            double[] diffs = new double[4];
            for (RecallHarness.Outcome fact : outcomes) {
                if (fact.probe().kind() != ProbeKind.FACT || fact.probe().distance() != p.distance()) continue;
                RecallHarness.Outcome wrong = outcomes.stream()
                        .filter(o -> o.probe().kind() == ProbeKind.WRONG_KEY
                                && o.probe().distance() == p.distance()
                                && o.probe().fact() == fact.probe().fact())
                        .findFirst()
                        .orElseThrow();
                assertNotEquals(fact.probe().key(), wrong.probe().key(), "the wrong key differs from the asked one");
                assertEquals(fact.probe().value(), wrong.probe().value(), "the same name is scored");
                assertTrue(
                        streamText
                                .substring(0, wrong.probe().branchAt())
                                .contains("request_id=" + wrong.probe().key() + " user="),
                        "the wrong key was seen in the stream before the question");
                diffs[fact.probe().fact()] = fact.logProb() - wrong.logProb();
            }
            StandardError.Mean expected = StandardError.ofMean(diffs);
            assertEquals(4, p.binding().n());
            assertEquals(expected.mean(), p.bindingGain(), 1e-12);
            assertEquals(expected.standardError(), p.binding().standardError(), 1e-12);
            assertTrue(Double.isFinite(p.binding().standardError()));
        }
        String table = RecallReport.table(List.of(curve));
        assertTrue(table.contains("tiny: accuracy | wrong id | binding gain |"), table);
        assertTrue(RecallReport.svg(List.of(curve), "tiny").contains("same name, wrong id"));
    }

    @Test
    void tokensOutsideTheVocabularyAreRefused() throws Exception {
        Model model = Model.load(Golden.tinyHybrid());
        TextEncoder wide =
                text -> Arrays.stream(bytes.encode(text)).map(t -> t + 600).toArray();
        RecallStream stream = RecallStream.build(wide, 1, 1, 10, new int[] {4});
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new RecallHarness(64, 256, null).run(model, stream));
        assertTrue(e.getMessage().contains("vocabulary"), e.getMessage());
    }

    @Test
    void generatedTokensAreNotChangedByBatching() throws Exception {
        // the same stream run with two batch settings gives identical outcomes
        Model model = Model.load(Golden.tinyHybrid());
        RecallStream stream = RecallStream.build(bytes, 6, 2, 60, new int[] {5, 50});
        List<RecallHarness.Outcome> one = new RecallHarness(64, 1, null).run(model, stream);
        List<RecallHarness.Outcome> many = new RecallHarness(64, 10_000, null).run(model, stream);
        double[] a = one.stream().mapToDouble(RecallHarness.Outcome::logProb).toArray();
        double[] b = many.stream().mapToDouble(RecallHarness.Outcome::logProb).toArray();
        assertArrayEquals(a, b);
    }
}

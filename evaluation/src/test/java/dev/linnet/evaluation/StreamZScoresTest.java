package dev.linnet.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.linnet.flink.jobs.RunningStats;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StreamZScoresTest {

    @Test
    void theZScoresAreTheJobsOnTheSameLines() {
        // the job judges a line against the lines before it and skips NaN lines; the evaluation must do the same
        StreamZScores eval = new StreamZScores(50, 20);
        RunningStats job = new RunningStats();
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 400; i++) {
            double x = rnd.nextInt(10) == 0 ? Double.NaN : 3 + rnd.nextGaussian() * (1 + i / 100.0);
            double expected = job.zScore(x, 20);
            if (!Double.isNaN(x)) {
                job.add(x, 50);
            }
            assertEquals(expected, eval.next(x), 0.0, "line " + i);
        }
    }
}

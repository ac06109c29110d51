import dev.linnet.engine.model.*;
import dev.linnet.engine.state.*;
import dev.linnet.engine.tokenizer.Tokenizer;
import java.nio.file.*;
import java.util.*;

/**
 * Feeds a log file line by line (one forward call a line, as the jobs do a record), with the state kept in float32
 * or rounded to bfloat16 after every line as the operator does with linnet.state.precision BFLOAT16; prints bits per
 * byte of each reading (the first reading's first token has no prediction: NaN). From the repository root:
 *   java --add-modules jdk.incubator.vector -cp engine/target/linnet-engine.jar \
 *       evaluation/training/results/compression-2/StatePrecisionCheck.java \
 *       engine/src/main/resources/dev/linnet/engine/defaultmodel ../shared/data/loghub/Android/Android_2k.log 2
 */
public class StatePrecisionCheck {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        Model m = Model.load(dir);
        Tokenizer tok = Tokenizer.load(dir.resolve("tokenizer.json"));
        int repeats = Integer.parseInt(a[2]);
        List<String> lines = Files.readAllLines(Path.of(a[1]));
        long bytes = 0;
        for (String l : lines) bytes += l.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
        for (String prec : new String[] {"FLOAT32", "BFLOAT16"}) {
            StreamState s = m.newState();
            StateCodec codec = m.stateCodec(StatePrecision.valueOf(prec));
            double[] perRepeat = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                for (String l : lines) {
                    int[] t = tok.encode(l + "\n");
                    ChunkResult c = m.forward(s, t, ForwardOptions.DEFAULT);
                    for (float x : c.surprisal()) perRepeat[r] += x;
                    if (prec.equals("BFLOAT16")) codec.roundInPlace(s);
                }
            }
            StringBuilder sb = new StringBuilder(prec + " bits/byte by pass:");
            for (double v : perRepeat) sb.append(String.format(" %.3f", v / Math.log(2) / bytes));
            System.out.println(sb);
        }
    }
}

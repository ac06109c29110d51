package dev.linnet.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One long stream of {@link LogTraffic} for the recall test, tokenised line by line (each line with its
 * newline), and the probes asked of it.
 *
 * <p>Facts are the first probe-candidate session lines after a preamble. A probe asks for a fact at exactly
 * D tokens after the end of the fact's line: the stream is followed up to the last line boundary at or
 * before that point, then (on a copy of the state) the first tokens of the next line, cut short and closed
 * with a newline so that exactly D tokens lie between the fact and the question, then an invoice line
 * carrying the fact's request id up to " user", then the value "=" + user name. Three controls ask the same
 * way at the same point: with a request id never seen, one for the fact's user (does having seen the name
 * help without the key?) and one for a user never seen either (the prior: chance); and, for the fact's user,
 * with the wrong key: the request id of another probe-candidate session line, seen once with its own user
 * (does the model bind the name to its key, or merely copy a name it read recently?). The wrong key is that of
 * the candidate line nearest the fact's (by the distance between the lines' ends) among those the stream has
 * read in full before the question, the earlier one on a tie; so that every fact has one, a fact is never the
 * stream's first probe candidate.
 */
public final class RecallStream {
    /** A planted key-value pair: the line it is on and the token index just after that line. */
    public record Fact(int line, int end, String key, String user) {}

    /**
     * One question asked of the stream.
     *
     * @param fact        index into {@link #facts()}
     * @param distance    tokens between the end of the fact's line and the start of the question line
     * @param kind        the fact's key, or one of the three controls (a key never seen, or another fact's key)
     * @param branchAt    token index of the stream (a line boundary) where the question branches off
     * @param tail        tokens fed after the branch: the cut-short line, the question, the value
     * @param questionStart index in tail where the question line starts (the cut-short line's length)
     * @param valueStart  index in tail of the value's first token (never 0)
     * @param value       the expected answer: "=" and the user name
     * @param key         the request id the question asks about
     */
    public record Probe(
            int fact,
            int distance,
            ProbeKind kind,
            int branchAt,
            int[] tail,
            int questionStart,
            int valueStart,
            String value,
            String key) {
        /** A probe whose key is not recorded. */
        public Probe(
                int fact,
                int distance,
                ProbeKind kind,
                int branchAt,
                int[] tail,
                int questionStart,
                int valueStart,
                String value) {
            this(fact, distance, kind, branchAt, tail, questionStart, valueStart, value, null);
        }

        public int valueLength() {
            return tail.length - valueStart;
        }
    }

    private final int[] tokens;
    private final int[] lineStarts;
    private final List<Fact> facts;
    private final List<Probe> probes;
    private final int skippedFacts;

    private RecallStream(int[] tokens, int[] lineStarts, List<Fact> facts, List<Probe> probes, int skippedFacts) {
        this.tokens = tokens;
        this.lineStarts = lineStarts;
        this.facts = facts;
        this.probes = probes;
        this.skippedFacts = skippedFacts;
    }

    /**
     * @param factCount   how many facts (each is asked at every distance, so this is the trials per distance)
     * @param preamble    tokens of traffic before the first fact may appear
     * @param distances   the distances D, each at least 1
     */
    public static RecallStream build(TextEncoder encoder, long seed, int factCount, int preamble, int[] distances) {
        if (factCount <= 0) throw new IllegalArgumentException("need at least one trial, got " + factCount);
        if (preamble < 0) throw new IllegalArgumentException("preamble must be >= 0, got " + preamble);
        if (distances.length == 0) throw new IllegalArgumentException("no distance given");
        for (int d : distances) if (d < 1) throw new IllegalArgumentException("distance must be >= 1 token, got " + d);
        int[] newline = encoder.encode("\n");
        if (newline.length != 1) {
            throw new IllegalArgumentException("the tokenizer encodes a newline as " + newline.length
                    + " tokens; the recall test cuts lines at token boundaries and needs it to be one");
        }
        int maxDistance = Arrays.stream(distances).max().getAsInt();

        LogTraffic traffic = new LogTraffic(seed);
        List<LogTraffic.Line> lines = new ArrayList<>();
        IntBuffer toks = new IntBuffer();
        IntBuffer starts = new IntBuffer();
        List<Fact> facts = new ArrayList<>();
        List<Fact> candidates = new ArrayList<>(); // every probe-candidate line, facts included: the wrong keys
        int[] factCandidate = new int[factCount]; // a fact's index in candidates
        int skipped = 0;
        // Until every fact is planted and the stream reaches past the last fact by the largest distance plus a line.
        while (facts.size() < factCount
                || toks.size() <= facts.get(facts.size() - 1).end() + maxDistance) {
            LogTraffic.Line line = traffic.next();
            int start = toks.size();
            int[] t = encoder.encode(line.text() + "\n");
            if (t.length == 0) throw new IllegalArgumentException("the tokenizer gave no token for a log line");
            starts.add(start);
            toks.addAll(t);
            lines.add(line);
            if (line.probeCandidate() && facts.size() < factCount && start >= preamble && !candidates.isEmpty()) {
                if (valueTokens(encoder, "x user", "=" + line.user(), " amount=1.00 EUR") != null) {
                    factCandidate[facts.size()] = candidates.size();
                    facts.add(new Fact(lines.size() - 1, toks.size(), line.key(), line.user()));
                } else if (++skipped > 100 && facts.isEmpty()) {
                    throw new IllegalArgumentException("the tokenizer never keeps a value such as '=" + line.user()
                            + "' apart from the text around it; the recall test cannot score it");
                }
            }
            if (line.probeCandidate()) candidates.add(new Fact(lines.size() - 1, toks.size(), line.key(), line.user()));
            if (toks.size() > 100_000_000) throw new IllegalStateException("recall stream grew past 100M tokens");
        }
        int[] tokens = toks.toArray();
        int[] lineStarts = starts.toArray();

        List<Probe> probes = new ArrayList<>();
        for (int f = 0; f < facts.size(); f++) {
            Fact fact = facts.get(f);
            for (int d : distances) {
                int target = fact.end() + d;
                int line = lineAt(lineStarts, target);
                int branch = lineStarts[line];
                int cut = target - branch;
                int[] partial = new int[cut];
                if (cut > 0) {
                    System.arraycopy(tokens, branch, partial, 0, cut - 1);
                    partial[cut - 1] = newline[0];
                }
                long at = lines.get(line).millis();
                for (ProbeKind kind : ProbeKind.values()) {
                    String key = switch (kind) {
                        case FACT -> fact.key();
                        case WRONG_KEY ->
                            wrongKey(candidates, factCandidate[f], branch).key();
                        case FAMILIAR_VALUE, UNSEEN -> traffic.freshKey();
                    };
                    String user = kind == ProbeKind.UNSEEN ? traffic.freshUser() : fact.user();
                    String prefix = traffic.queryPrefix(key, at);
                    int[][] pv = valueTokens(encoder, prefix, "=" + user, traffic.amountSuffix());
                    for (int retry = 0; kind == ProbeKind.UNSEEN && pv == null && retry < 20; retry++) {
                        user = traffic.freshUser();
                        pv = valueTokens(encoder, prefix, "=" + user, traffic.amountSuffix());
                    }
                    if (pv == null) {
                        throw new IllegalStateException("the tokenizer merges the value '=" + user
                                + "' with the text around it in '" + prefix + "=" + user + "'");
                    }
                    int[] tail = new int[cut + pv[0].length + pv[1].length];
                    System.arraycopy(partial, 0, tail, 0, cut);
                    System.arraycopy(pv[0], 0, tail, cut, pv[0].length);
                    System.arraycopy(pv[1], 0, tail, cut + pv[0].length, pv[1].length);
                    probes.add(new Probe(f, d, kind, branch, tail, cut, cut + pv[0].length, "=" + user, key));
                }
            }
        }
        return new RecallStream(tokens, lineStarts, List.copyOf(facts), List.copyOf(probes), skipped);
    }

    /**
     * The probe-candidate line nearest candidates[self] (by the distance between the lines' ends) among the others
     * that end at or before the branch point, the earlier on a tie; the one before it always qualifies.
     */
    static Fact wrongKey(List<Fact> candidates, int self, int branch) {
        Fact fact = candidates.get(self);
        Fact before = candidates.get(self - 1);
        if (self + 1 < candidates.size()) {
            Fact after = candidates.get(self + 1);
            if (after.end() <= branch && after.end() - fact.end() < fact.end() - before.end()) return after;
        }
        return before;
    }

    /**
     * The tokens of prefix, then of the value as they fall in the whole line prefix+value+suffix; null when the
     * value's tokens are not cleanly separated (a token spans the prefix/value or value/suffix border).
     */
    static int[][] valueTokens(TextEncoder encoder, String prefix, String value, String suffix) {
        int[] p = encoder.encode(prefix);
        int[] pv = encoder.encode(prefix + value);
        int[] full = encoder.encode(prefix + value + suffix);
        if (p.length == 0 || pv.length <= p.length || !startsWith(pv, p) || !startsWith(full, pv)) return null;
        return new int[][] {p, Arrays.copyOfRange(pv, p.length, pv.length)};
    }

    private static boolean startsWith(int[] a, int[] prefix) {
        if (prefix.length > a.length) return false;
        for (int i = 0; i < prefix.length; i++) if (a[i] != prefix[i]) return false;
        return true;
    }

    /** The line holding token index t (the last line whose start is <= t). */
    private static int lineAt(int[] lineStarts, int t) {
        int i = Arrays.binarySearch(lineStarts, t);
        return i >= 0 ? i : -i - 2;
    }

    public int[] tokens() {
        return tokens;
    }

    public int[] lineStarts() {
        return lineStarts;
    }

    public List<Fact> facts() {
        return facts;
    }

    public List<Probe> probes() {
        return probes;
    }

    /** Probe candidates passed over because the tokenizer did not keep their value apart from its neighbours. */
    public int skippedFacts() {
        return skippedFacts;
    }

    /** Tokens of the stream that the probes need fed (up to the last branch point). */
    public int tokensNeeded() {
        int max = 0;
        for (Probe p : probes) max = Math.max(max, p.branchAt());
        return max;
    }

    /** A growable int array. */
    private static final class IntBuffer {
        private int[] a = new int[1024];
        private int n;

        void add(int v) {
            if (n == a.length) a = Arrays.copyOf(a, n * 2);
            a[n++] = v;
        }

        void addAll(int[] v) {
            while (n + v.length > a.length) a = Arrays.copyOf(a, a.length * 2);
            System.arraycopy(v, 0, a, n, v.length);
            n += v.length;
        }

        int size() {
            return n;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}

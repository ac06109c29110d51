package dev.linnet.evaluation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Synthetic but realistic traffic of a web shop's application log (Spring/Logback style), seeded.
 *
 * <p>Sessions bind a request id (the key) to a user name (the value). Half of them are <em>probe
 * candidates</em>: their request id never shows again, so a later line carrying it can only be completed
 * from the session line itself. The other half get follow-up lines (cart, invoice) a few lines later that
 * repeat the pair, so the traffic itself shows the model that a request's user is carried over. Every
 * session has its own user name, and request ids never repeat across sessions, so a probe's value occurs
 * exactly once before it is asked for. Fresh keys and users (never in the traffic) serve as the chance control.
 */
public final class LogTraffic {
    private static final String[] FIRST = {
        "anna", "ben", "carla", "david", "elena", "felix", "greta", "hugo", "ines", "jonas", "katrin", "lukas",
        "maria", "nils", "olga", "paul", "quentin", "rosa", "simon", "tanja", "ulrich", "vera", "walter", "xenia",
        "yusuf", "zoe", "amir", "bianca", "cedric", "dana", "emil", "fatima", "gustav", "hannah", "igor", "julia",
        "karl", "lea", "marco", "nadia", "oskar", "petra", "rafael", "sofia", "tobias", "ursula", "viktor", "wanda",
        "aylin", "bruno", "chloe", "dirk", "eva", "frank", "gina", "henrik", "irina", "jakob", "kim", "lars",
        "mila", "noah", "ole", "pia",
    };
    private static final String[] LAST = {
        "schmidt", "meyer", "garcia", "rossi", "novak", "kowalski", "jensen", "dubois", "silva", "weber",
        "fischer", "lopez", "martin", "bauer", "wagner", "becker", "hoffmann", "koch", "richter", "klein",
        "wolf", "neumann", "schwarz", "zimmermann", "braun", "hartmann", "lange", "werner", "krause", "lehmann",
        "kaiser", "fuchs", "peters", "scholz", "moeller", "keller", "vogel", "berger", "roth", "beck",
        "lorenz", "frank", "albrecht", "ludwig", "winter", "kraus", "simon", "haas", "schreiber", "graf",
        "dietrich", "kuhn", "pohl", "engel", "horn", "busch", "bergmann", "thomas", "voigt", "sommer",
        "friedrich", "brandt", "jung", "hahn",
    };
    private static final String[] PATHS = {
        "/api/v1/products",
        "/api/v1/orders",
        "/api/v1/cart",
        "/api/v1/search",
        "/health",
        "/api/v1/users/me",
        "/static/app.js",
        "/api/v1/recommendations",
    };

    /** One log line (without its newline) and its time; key and user are set for session lines only. */
    public record Line(String text, long millis, boolean session, boolean probeCandidate, String key, String user) {}

    private record OpenSession(String key, String user) {}

    private final SplittableRandom rnd;
    private final Set<String> usedKeys = new HashSet<>();
    private final Set<String> usedUsers = new HashSet<>();
    private final List<OpenSession> recent = new ArrayList<>();
    private long millis = 1_710_147_600_000L; // 2024-03-11 09:00:00 UTC

    public LogTraffic(long seed) {
        this.rnd = new SplittableRandom(seed);
    }

    /** The next line of traffic. */
    public Line next() {
        millis += 1 + rnd.nextInt(400);
        double u = rnd.nextDouble();
        if (u < 0.22) return session();
        if (u < 0.40 && !recent.isEmpty()) return followUp();
        if (u < 0.65)
            return plain(String.format(
                    Locale.ROOT,
                    "INFO  [http-nio-8080-exec-%d] d.l.shop.web.AccessLog - %s %s%s %d %dms",
                    1 + rnd.nextInt(12),
                    rnd.nextInt(5) == 0 ? "POST" : "GET",
                    PATHS[rnd.nextInt(PATHS.length)],
                    rnd.nextBoolean() ? "/" + (1000 + rnd.nextInt(90000)) : "",
                    status(),
                    2 + rnd.nextInt(300)));
        if (u < 0.73) {
            int active = rnd.nextInt(11);
            return plain(String.format(
                    Locale.ROOT,
                    "DEBUG [HikariPool-1 housekeeper] c.zaxxer.hikari.pool.HikariPool - HikariPool-1 - Pool stats (total=10, active=%d, idle=%d, waiting=%d)",
                    active,
                    10 - active,
                    active == 10 ? rnd.nextInt(4) : 0));
        }
        if (u < 0.79)
            return plain(String.format(
                    Locale.ROOT,
                    "INFO  [cache-stats-1] d.l.shop.cache.CacheMetrics - products: hits=%d misses=%d evictions=%d",
                    rnd.nextInt(5000),
                    rnd.nextInt(400),
                    rnd.nextInt(30)));
        if (u < 0.85) {
            int before = 300 + rnd.nextInt(600);
            return plain(String.format(
                    Locale.ROOT,
                    "INFO  [gc] GC(%d) Pause Young (Normal) (G1 Evacuation Pause) %dM->%dM(1024M) %d.%03dms",
                    rnd.nextInt(9000),
                    before,
                    before - 50 - rnd.nextInt(200),
                    rnd.nextInt(20),
                    rnd.nextInt(1000)));
        }
        if (u < 0.95)
            return plain(String.format(
                    Locale.ROOT,
                    "INFO  [orders-consumer-0] o.a.k.c.c.internals.ConsumerCoordinator - [Consumer clientId=orders-consumer-0, groupId=shop] Committed offset %d for partition orders-%d",
                    100000 + rnd.nextInt(900000),
                    rnd.nextInt(6)));
        return plain(String.format(
                Locale.ROOT,
                "WARN  [http-nio-8080-exec-%d] d.l.shop.web.RateLimiter - client 10.%d.%d.%d near its limit (%d/120 requests per minute)",
                1 + rnd.nextInt(12),
                rnd.nextInt(256),
                rnd.nextInt(256),
                rnd.nextInt(256),
                100 + rnd.nextInt(20)));
    }

    private int status() {
        int r = rnd.nextInt(40);
        return r == 0 ? 500 : r < 3 ? 404 : r < 5 ? 304 : 200;
    }

    private Line plain(String body) {
        return new Line(timestamp(millis) + " " + body, millis, false, false, null, null);
    }

    private Line session() {
        String key = freshKey();
        String user = freshUser();
        boolean candidate = rnd.nextBoolean();
        if (!candidate) {
            recent.add(new OpenSession(key, user));
            if (recent.size() > 20) recent.remove(0);
        }
        String text = String.format(
                Locale.ROOT,
                "%s INFO  [http-nio-8080-exec-%d] d.l.shop.auth.SessionService - session opened request_id=%s user=%s ip=10.%d.%d.%d",
                timestamp(millis),
                1 + rnd.nextInt(12),
                key,
                user,
                rnd.nextInt(256),
                rnd.nextInt(256),
                rnd.nextInt(256));
        return new Line(text, millis, true, candidate, key, user);
    }

    private Line followUp() {
        OpenSession s = recent.get(rnd.nextInt(recent.size()));
        if (rnd.nextBoolean()) {
            return plain(String.format(
                    Locale.ROOT,
                    "INFO  [http-nio-8080-exec-%d] d.l.shop.cart.CartService - cart updated request_id=%s user=%s items=%d",
                    1 + rnd.nextInt(12),
                    s.key(),
                    s.user(),
                    1 + rnd.nextInt(9)));
        }
        return plain(queryBody(s.key()) + "=" + s.user() + amountSuffix());
    }

    /**
     * The start of a line at the given time that asks for a key's user: everything up to " user", so that the
     * answer is "=" + the user. (Tokenizers of the cl100k kind glue "=" to the letters after it, so a question
     * ending in "user=" would cut a token in two.)
     */
    public String queryPrefix(String key, long atMillis) {
        return timestamp(atMillis) + " " + queryBody(key);
    }

    private String queryBody(String key) {
        return String.format(
                Locale.ROOT,
                "INFO  [http-nio-8080-exec-%d] d.l.shop.billing.InvoiceService - invoice issued request_id=%s user",
                1 + rnd.nextInt(12),
                key);
    }

    /** What follows the user in an invoice line (used to check that the value's tokens end where the value ends). */
    public String amountSuffix() {
        return String.format(Locale.ROOT, " amount=%d.%02d EUR", 5 + rnd.nextInt(400), rnd.nextInt(100));
    }

    /** A request id never used before in this traffic. */
    public String freshKey() {
        while (true) {
            String k = String.format(Locale.ROOT, "req-%08x", rnd.nextInt());
            if (usedKeys.add(k)) return k;
        }
    }

    /** A user name never used before in this traffic (first.last, or first.last plus a digit once the pairs run out). */
    public String freshUser() {
        for (int attempt = 0; ; attempt++) {
            String u = FIRST[rnd.nextInt(FIRST.length)] + "." + LAST[rnd.nextInt(LAST.length)];
            if (attempt > 50) u += rnd.nextInt(10);
            if (usedUsers.add(u)) return u;
        }
    }

    private static String timestamp(long millis) {
        long s = millis / 1000;
        long ms = millis % 1000;
        long day = s / 86400;
        long sec = s % 86400;
        java.time.LocalDate d = java.time.LocalDate.ofEpochDay(day);
        return String.format(Locale.ROOT, "%s %02d:%02d:%02d.%03d", d, sec / 3600, (sec / 60) % 60, sec % 60, ms);
    }
}

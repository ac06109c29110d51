package dev.linnet.flink.sql;

import org.apache.flink.annotation.PublicEvolving;

/**
 * {@code LINNET_SURPRISAL(text)}: the mean surprisal (nats per token) of one text read on an empty state,
 * i.e. how unexpected the text is to the model on its own. The first token has nothing before it and is not
 * counted, so a text of one token, like a NULL or empty one, gives NULL. LINNET_SCORE gives the same measure
 * against a stream's history.
 */
@PublicEvolving
public final class LinnetSurprisalFunction extends StatelessFunction {

    private static final long serialVersionUID = 1L;

    /** For the catalog ({@code CREATE FUNCTION ... AS}); every call is planned through {@link #specialize}. */
    public LinnetSurprisalFunction() {
        super(null);
    }

    private LinnetSurprisalFunction(SqlSettings settings) {
        super(settings);
    }

    @Override
    StatelessFunction withSettings(SqlSettings settings) {
        return new LinnetSurprisalFunction(settings);
    }

    @Override
    String sqlName() {
        return "LINNET_SURPRISAL";
    }

    public Double eval(String text) {
        StatelessText.Scored s = score(text);
        return s == null ? null : RecordScores.of(s.result().surprisal(), 0).mean;
    }
}

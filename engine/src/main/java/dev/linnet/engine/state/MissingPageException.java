package dev.linnet.engine.state;

/**
 * A paged state's head names a page the store no longer holds: with state TTL, the page expired before the head
 * did (the stream was idle for about the TTL), so the stream is to start afresh; without TTL, the state is lost.
 */
public final class MissingPageException extends StateFormatException {
    private final int page;

    public MissingPageException(int page) {
        super("paged stream state is incomplete: page " + page + " is missing");
        this.page = page;
    }

    public int page() {
        return page;
    }
}

package dev.linnet.evaluation;

/** What a recall question asks about, and so what its answer measures. */
public enum ProbeKind {
    /** The fact's own request id: the answer is its user (recall). */
    FACT,
    /** A request id never seen, with the fact's user as the answer: how much merely having seen the name helps. */
    FAMILIAR_VALUE,
    /** A request id and a user never seen: the prior of a user name (chance). */
    UNSEEN,
    /**
     * Another request id seen in the stream (once, with its own user), with the fact's user as the answer: a model
     * that merely copies a name it read recently gives it here as readily as after its own id.
     */
    WRONG_KEY
}

package dev.linnet.flink.deploy;

import java.util.Map;

/**
 * What the deploy files name before it exists: each entry says what will bring it. The checks accept these
 * as missing, check them like everything else as soon as they exist, and fail on an entry that no deploy file
 * names any more (so the list cannot go stale silently). Remove an entry when its thing lands.
 */
final class PendingArtifacts {

    private PendingArtifacts() {}

    /** Classes named in deploy/ that are not written yet. */
    static final Map<String, String> CLASSES = Map.of();

    /** Build inputs of the image (COPY sources, relative to the repository root) that are not made yet. */
    static final Map<String, String> BUILD_INPUTS = Map.of();
}

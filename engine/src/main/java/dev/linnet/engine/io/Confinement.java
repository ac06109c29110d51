package dev.linnet.engine.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The check that keeps a confined load inside one directory: a file it opens must have a real path (symlinks
 * followed, "." and ".." resolved) under the real path of the root. A file that is not there, or that cannot be
 * resolved, is refused with a message that names the file as given and nothing about where it leads.
 */
public final class Confinement {

    private Confinement() {}

    /** A file a confined load refuses to open: its real path is outside the root, or cannot be resolved. */
    public static final class OutsideRootException extends CheckpointFormatException {
        private static final long serialVersionUID = 1L;

        OutsideRootException(Path file) {
            super(file, "refused: the load is confined to a directory and this file does not resolve inside it");
        }
    }

    /**
     * The path to open for {@code file}: {@code file} itself when {@code root} is null (no confinement) or when
     * nothing is there (the caller reports it missing as it would unconfined), else its real path, which is then
     * under the real path of {@code root}. Opening the returned path rather than {@code file} keeps a link swapped
     * in after the check from being followed.
     *
     * @throws OutsideRootException naming {@code file} only, when it resolves outside {@code root} or cannot be
     *     resolved (a dangling or looping link, a directory that cannot be read)
     */
    public static Path check(Path file, Path root) throws IOException {
        if (root == null) {
            return file;
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return file;
        }
        Path realRoot = root.toRealPath();
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException | SecurityException e) {
            throw new OutsideRootException(file);
        }
        if (!real.startsWith(realRoot)) {
            throw new OutsideRootException(file);
        }
        return real;
    }
}

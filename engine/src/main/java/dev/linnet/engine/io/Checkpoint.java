package dev.linnet.engine.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A model's weights as HuggingFace saves them: a directory holding model.safetensors, or shards listed by
 * model.safetensors.index.json; or one .safetensors file named directly (reference outputs such as
 * golden.safetensors are read that way).
 *
 * <p>A sharded checkpoint is checked whole on open: every shard the index names exists and is a valid
 * safetensors file, every tensor the index lists is in the shard it names, and no tensor is in two
 * shards or in a shard without being listed. Reading then goes to the one file holding the tensor; see
 * {@link SafetensorsFile} for the dtype conversions and checks. Safe to use from several threads.
 */
public final class Checkpoint implements AutoCloseable {
    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private final Path dir;
    private final List<SafetensorsFile> files;
    private final SortedMap<String, SafetensorsFile> fileOf;

    private Checkpoint(Path dir, List<SafetensorsFile> files, SortedMap<String, SafetensorsFile> fileOf) {
        this.dir = dir;
        this.files = List.copyOf(files);
        this.fileOf = Collections.unmodifiableSortedMap(fileOf);
    }

    /**
     * Opens {@code path}: a model directory (model.safetensors preferred when it is there, as
     * transformers does, else model.safetensors.index.json), a .safetensors file, or an index file.
     *
     * @throws CheckpointFormatException when the path holds no checkpoint or the checkpoint is invalid
     */
    public static Checkpoint open(Path path) throws IOException {
        return open(path, null);
    }

    /**
     * As {@link #open(Path)}, but confined to {@code root} when it is not null: the path, the index and every
     * .safetensors file must have real paths under the real path of {@code root} (see {@link Confinement}).
     *
     * @throws Confinement.OutsideRootException naming the file as given when one resolves outside {@code root}
     */
    public static Checkpoint open(Path path, Path root) throws IOException {
        path = Confinement.check(path, root);
        if (!Files.exists(path)) {
            throw new CheckpointFormatException(path, "no such file or directory");
        }
        if (Files.isDirectory(path)) {
            Path single = path.resolve(SINGLE_FILE);
            if (Files.exists(single)) {
                return openSingle(path, Confinement.check(single, root));
            }
            Path index = path.resolve(INDEX_FILE);
            if (Files.exists(index)) {
                return openSharded(path, Confinement.check(index, root), root);
            }
            throw new CheckpointFormatException(path, "directory holds neither " + SINGLE_FILE + " nor " + INDEX_FILE);
        }
        Path parent = path.toAbsolutePath().getParent();
        if (path.getFileName().toString().endsWith(".index.json")) {
            return openSharded(parent, path, root);
        }
        return openSingle(parent, path);
    }

    private static Checkpoint openSingle(Path dir, Path file) throws IOException {
        SafetensorsFile f = SafetensorsFile.open(file);
        SortedMap<String, SafetensorsFile> fileOf = new TreeMap<>();
        for (String name : f.names()) {
            fileOf.put(name, f);
        }
        return new Checkpoint(dir, List.of(f), fileOf);
    }

    private static Checkpoint openSharded(Path dir, Path indexFile, Path root) throws IOException {
        ShardIndex index = ShardIndex.read(indexFile);
        // shard path -> the tensors the index puts there, shards in the order of their first tensor
        Map<Path, List<String>> listed = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : index.shardOf().entrySet()) {
            listed.computeIfAbsent(e.getValue(), p -> new ArrayList<>()).add(e.getKey());
        }
        List<SafetensorsFile> opened = new ArrayList<>();
        SortedMap<String, SafetensorsFile> fileOf = new TreeMap<>();
        boolean ok = false;
        try {
            for (Map.Entry<Path, List<String>> e : listed.entrySet()) {
                Path shardPath = e.getKey();
                String firstTensor = e.getValue().get(0);
                // checked before anything follows the link: nothing said about where an outside one leads
                Path openPath = Confinement.check(shardPath, root);
                if (!Files.isRegularFile(openPath)) {
                    throw new CheckpointFormatException(
                            indexFile,
                            firstTensor,
                            "is mapped to shard " + shardPath.getFileName()
                                    + (Files.exists(shardPath)
                                            ? ", which is not a regular file"
                                            : ", which does not exist")
                                    + " (" + e.getValue().size() + " tensors are mapped there)");
                }
                SafetensorsFile shard = SafetensorsFile.open(openPath);
                opened.add(shard);
                for (String tensor : e.getValue()) {
                    if (!shard.has(tensor)) {
                        throw new CheckpointFormatException(
                                shardPath,
                                tensor,
                                "the index " + indexFile.getFileName()
                                        + " maps it to this shard, but the shard does not hold it");
                    }
                    fileOf.put(tensor, shard);
                }
                for (String tensor : shard.names()) {
                    Path mapped = index.shardOf().get(tensor);
                    if (mapped == null) {
                        throw new CheckpointFormatException(
                                shardPath,
                                tensor,
                                "is in this shard but the index " + indexFile.getFileName() + " does not list it");
                    }
                    if (!mapped.equals(shardPath)) {
                        throw new CheckpointFormatException(
                                shardPath,
                                tensor,
                                "is in this shard and also mapped to shard "
                                        + mapped.getFileName() + " by the index " + indexFile.getFileName()
                                        + ": a tensor must be in one shard only");
                    }
                }
            }
            ok = true;
        } finally {
            if (!ok) {
                opened.forEach(SafetensorsFile::close);
            }
        }
        return new Checkpoint(dir, opened, fileOf);
    }

    /** The model directory (for a file opened directly: the directory holding it). */
    public Path dir() {
        return dir;
    }

    /** The .safetensors files, one or the shards. */
    public List<Path> files() {
        List<Path> out = new ArrayList<>(files.size());
        files.forEach(f -> out.add(f.file()));
        return out;
    }

    /** Every tensor name, sorted. */
    public Set<String> names() {
        return fileOf.keySet();
    }

    public boolean has(String name) {
        return fileOf.containsKey(name);
    }

    /** @throws CheckpointFormatException naming the checkpoint and {@code name} when there is no such tensor */
    public TensorInfo info(String name) throws CheckpointFormatException {
        return fileFor(name).info(name);
    }

    /** See {@link SafetensorsFile#readFloats}: any float dtype as float32, shape checked when given. */
    public float[] readFloats(String name, long... expectedShape) throws IOException {
        return fileFor(name).readFloats(name, expectedShape);
    }

    /** See {@link SafetensorsFile#readBits16}: a BF16/F16 tensor's raw bits. */
    public short[] readBits16(String name, long... expectedShape) throws IOException {
        return fileFor(name).readBits16(name, expectedShape);
    }

    /** See {@link SafetensorsFile#readDoubles}: any float dtype as float64. */
    public double[] readDoubles(String name, long... expectedShape) throws IOException {
        return fileFor(name).readDoubles(name, expectedShape);
    }

    /** See {@link SafetensorsFile#readLongs}: any integer dtype as long. */
    public long[] readLongs(String name, long... expectedShape) throws IOException {
        return fileFor(name).readLongs(name, expectedShape);
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }

    @Override
    public String toString() {
        return "Checkpoint[" + dir + ", " + files.size() + " file(s), " + fileOf.size() + " tensors]";
    }

    private SafetensorsFile fileFor(String name) throws CheckpointFormatException {
        SafetensorsFile f = fileOf.get(name);
        if (f == null) {
            Path where = files.size() == 1 ? files.get(0).file() : dir;
            throw new CheckpointFormatException(
                    where,
                    name,
                    "no such tensor (the checkpoint holds " + fileOf.size() + " tensors in " + files.size()
                            + " file(s))");
        }
        return f;
    }
}

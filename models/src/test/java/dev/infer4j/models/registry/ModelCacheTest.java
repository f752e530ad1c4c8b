package dev.infer4j.models.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCacheTest {
    @TempDir
    Path root;

    private static final byte[] CONTENT = "weights weights weights".getBytes();

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private long filesUnder(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void extractsOnceUnderTheContentHash() throws Exception {
        ModelCache cache = new ModelCache(root);
        AtomicInteger opened = new AtomicInteger();
        String sha = sha256(CONTENT);
        Path first = cache.file("m.onnx", sha, CONTENT.length, () -> {
            opened.incrementAndGet();
            return new ByteArrayInputStream(CONTENT);
        });
        assertEquals(root.resolve(sha).resolve("m.onnx"), first);
        assertArrayEquals(CONTENT, Files.readAllBytes(first));
        Path second = cache.file("m.onnx", sha, CONTENT.length, () -> {
            opened.incrementAndGet();
            return new ByteArrayInputStream(CONTENT);
        });
        assertEquals(first, second);
        assertEquals(1, opened.get(), "a cached file is not extracted again");
        assertEquals(1, filesUnder(root), "no temporary files left behind");
    }

    @Test
    void aCrashMidExtractionLeavesNothingThatIsLaterTrusted() throws Exception {
        ModelCache cache = new ModelCache(root);
        String sha = sha256(CONTENT);
        InputStream dying = new InputStream() {
            int served;

            @Override
            public int read() throws IOException {
                if (served++ >= 10) {
                    throw new IOException("simulated crash");
                }
                return CONTENT[served - 1];
            }
        };
        assertThrows(IOException.class, () -> cache.file("m.onnx", sha, CONTENT.length, () -> dying));
        assertFalse(Files.exists(root.resolve(sha).resolve("m.onnx")), "no file under the final name");
        assertEquals(0, filesUnder(root));
        // a half file left by a killed process (temporary name) is never picked up
        Files.write(root.resolve(sha).resolve("m.onnx.123.partial"), new byte[10]);
        Path ok = cache.file("m.onnx", sha, CONTENT.length, () -> new ByteArrayInputStream(CONTENT));
        assertArrayEquals(CONTENT, Files.readAllBytes(ok));
    }

    @Test
    void contentWithTheWrongHashIsRefused() throws Exception {
        ModelCache cache = new ModelCache(root);
        String sha = sha256(CONTENT);
        byte[] other = "other other other other".getBytes();
        IOException e = assertThrows(IOException.class,
                () -> cache.file("m.onnx", sha, other.length, () -> new ByteArrayInputStream(other)));
        assertTrue(e.getMessage().contains("SHA-256") && e.getMessage().contains(sha), e.getMessage());
        assertFalse(Files.exists(root.resolve(sha).resolve("m.onnx")));
    }

    @Test
    void aFileOfTheWrongSizeUnderTheFinalNameIsReplaced() throws Exception {
        ModelCache cache = new ModelCache(root);
        String sha = sha256(CONTENT);
        Files.createDirectories(root.resolve(sha));
        Files.write(root.resolve(sha).resolve("m.onnx"), new byte[3]);
        Path p = cache.file("m.onnx", sha, CONTENT.length, () -> new ByteArrayInputStream(CONTENT));
        assertArrayEquals(CONTENT, Files.readAllBytes(p));
    }

    @Test
    void theDirectoryCanBeConfigured() {
        String before = System.getProperty(ModelCache.PROPERTY);
        try {
            System.setProperty(ModelCache.PROPERTY, root.toString());
            assertEquals(root, ModelCache.userDefault().root());
        } finally {
            if (before == null) {
                System.clearProperty(ModelCache.PROPERTY);
            } else {
                System.setProperty(ModelCache.PROPERTY, before);
            }
        }
    }
}

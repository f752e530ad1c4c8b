package dev.infer4j.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code infer4j serve} as a real process: logs its URL, answers, and on SIGTERM drains and exits 0. */
@Timeout(90)
class ServeProcessTest {
    private static final Pattern READY = Pattern.compile("ready: serving \\[.*] at (http://\\S+)");

    static Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), FakeServeMain.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Collects the child's output lines as they come. */
    static Thread lines(Process p, List<String> all, BlockingQueue<String> queue) {
        return Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    all.add(line);
                    queue.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
    }

    @Test
    void sigtermDrainsInFlightRequestsAndExitsZero() throws Exception {
        Process p = start("--port", "0", "--model", "fake-model", "--shutdown-grace", "20s");
        List<String> all = new CopyOnWriteArrayList<>(); // read by assertions while the reader appends
        try {
            BlockingQueue<String> out = new LinkedBlockingQueue<>();
            Thread reader = lines(p, all, out);
            String url = null;
            while (url == null) {
                String line = out.poll(30, TimeUnit.SECONDS);
                assertTrue(line != null, "no 'ready' line; output so far: " + all);
                Matcher m = READY.matcher(line);
                if (m.find()) {
                    url = m.group(1);
                }
            }
            HttpClient client = HttpClient.newHttpClient();
            CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(HttpRequest.newBuilder(
                    URI.create(url + "/v1/embeddings")).POST(HttpRequest.BodyPublishers.ofString(
                    "{\"input\":\"takes one second\"}")).build(), HttpResponse.BodyHandlers.ofString());
            for (String line = ""; !line.contains("fake model: call started"); ) {
                line = out.poll(30, TimeUnit.SECONDS);
                assertTrue(line != null, "the model call never started; output so far: " + all);
            }
            p.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)

            HttpResponse<String> r;
            try {
                r = inFlight.get(20, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                p.waitFor(5, TimeUnit.SECONDS);
                Thread.sleep(200);
                throw new AssertionError("no response; server output: " + all, e);
            }
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"embedding\""), r.body());
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "exited");
            reader.join(5000); // the last lines
            assertEquals(0, p.exitValue(), String.join("\n", all));
            assertTrue(all.stream().anyMatch(l -> l.contains("SIGTERM received: draining")), all.toString());
            assertTrue(all.stream().anyMatch(l -> l.contains("server stopped")), all.toString());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void busyPortIsAnErrorWithExitCode1() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            Process p = start("--port", Integer.toString(taken.getLocalPort()));
            List<String> all = new CopyOnWriteArrayList<>(); // read by assertions while the reader appends
            Thread reader = lines(p, all, new LinkedBlockingQueue<>());
            try {
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "exited");
                assertEquals(1, p.exitValue());
                reader.join(5000);
                assertTrue(all.stream().anyMatch(l -> l.contains("infer4j serve: error: cannot listen on "
                        + "127.0.0.1:" + taken.getLocalPort())), all.toString());
            } finally {
                p.destroyForcibly();
            }
        }
    }
}

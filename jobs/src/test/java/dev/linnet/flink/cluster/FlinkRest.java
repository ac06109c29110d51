package dev.linnet.flink.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/** The JobManager's REST API, as the Flink web UI and `flink` CLI use it: jars, jobs, checkpoints, savepoints. */
final class FlinkRest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    FlinkRest(int port) {
        this("127.0.0.1", port);
    }

    FlinkRest(String host, int port) {
        this.base = "http://" + host + ":" + port;
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), path);
    }

    /** Like {@link #get} but null while the server is not up. */
    JsonNode tryGet(String path) {
        try {
            return get(path);
        } catch (IllegalStateException e) {
            return null;
        }
    }

    JsonNode post(String path, JsonNode body) {
        return send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())),
                path);
    }

    /** Uploads a job jar (POST /jars/upload, multipart); returns its id for /jars/{id}/run. */
    String uploadJar(Path jar) throws IOException {
        String boundary = "linnet-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                        + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode r = send(
                HttpRequest.newBuilder(URI.create(base + "/jars/upload"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())),
                "/jars/upload");
        String filename = r.path("filename").asText();
        if (!"success".equals(r.path("status").asText()) || filename.isEmpty()) {
            throw new IllegalStateException("jar upload failed: " + r);
        }
        return Path.of(filename).getFileName().toString();
    }

    /** Runs an uploaded jar's main method on the JobManager (POST /jars/{id}/run); returns the job id. */
    String runJar(String jarId, String entryClass, List<String> args, int parallelism, String savepointPath) {
        ObjectNode body = JSON.createObjectNode();
        body.put("entryClass", entryClass);
        body.putPOJO("programArgsList", args);
        body.put("parallelism", parallelism);
        if (savepointPath != null) {
            body.put("savepointPath", savepointPath);
            body.put("allowNonRestoredState", false);
        }
        JsonNode r = post("/jars/" + jarId + "/run", body);
        String jobId = r.path("jobid").asText();
        if (jobId.isEmpty()) {
            throw new IllegalStateException("no job id from /jars/" + jarId + "/run: " + r);
        }
        return jobId;
    }

    JsonNode job(String jobId) {
        return get("/jobs/" + jobId);
    }

    String jobState(String jobId) {
        return job(jobId).path("state").asText();
    }

    long completedCheckpoints(String jobId) {
        return get("/jobs/" + jobId + "/checkpoints")
                .path("counts")
                .path("completed")
                .asLong();
    }

    /** Total parallel subtasks RUNNING across the job's vertices. */
    int runningSubtasks(String jobId) {
        int running = 0;
        for (JsonNode v : job(jobId).path("vertices")) {
            running += v.path("tasks").path("RUNNING").asInt();
        }
        return running;
    }

    /**
     * Stops the job with a savepoint (POST /jobs/{id}/stop, no drain) and returns the savepoint's path.
     *
     * @param targetDirectory a URI the cluster's processes can write to
     */
    String stopWithSavepoint(String jobId, String targetDirectory, Duration timeout) {
        ObjectNode body = JSON.createObjectNode();
        body.put("targetDirectory", targetDirectory);
        body.put("drain", false);
        String trigger =
                post("/jobs/" + jobId + "/stop", body).path("request-id").asText();
        JsonNode done = await(
                "savepoint of " + jobId,
                timeout,
                () -> get("/jobs/" + jobId + "/savepoints/" + trigger),
                r -> "COMPLETED".equals(r.path("status").path("id").asText()));
        JsonNode op = done.path("operation");
        if (op.has("failure-cause")) {
            throw new IllegalStateException("stop-with-savepoint failed: " + op.path("failure-cause"));
        }
        await(
                "job " + jobId + " FINISHED after its savepoint",
                timeout,
                () -> job(jobId),
                j -> List.of("FINISHED", "CANCELED", "FAILED")
                        .contains(j.path("state").asText()));
        return op.path("location").asText();
    }

    void cancel(String jobId) {
        send(
                HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId + "?mode=cancel"))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody()),
                "/jobs/" + jobId + "?mode=cancel");
    }

    interface Probe {
        JsonNode get();
    }

    /** Polls until the condition holds; fails with the last answer seen. */
    static JsonNode await(String what, Duration timeout, Probe probe, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        RuntimeException lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                last = probe.get();
                lastError = null;
                if (last != null && condition.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                lastError = e;
            }
            sleep(250);
        }
        throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what
                + "; last answer: " + last + (lastError == null ? "" : "; last error: " + lastError));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private JsonNode send(HttpRequest.Builder request, String what) {
        try {
            HttpResponse<String> r =
                    http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException(what + " answered HTTP " + r.statusCode() + ": " + r.body());
            }
            return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(what + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + what, e);
        }
    }
}

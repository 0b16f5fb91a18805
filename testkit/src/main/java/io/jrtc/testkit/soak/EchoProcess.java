package io.jrtc.testkit.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code ./jrtc echo} as a separate process, the way a user runs it (the launcher at the repository root, told not to
 * rebuild: {@code JRTC_NO_BUILD=1}), with its output in files under {@code dir}. The launcher {@code exec}s the JVM, so
 * {@link #pid()} is the echo agent's JVM.
 */
public final class EchoProcess implements AutoCloseable {

    private final Process process;
    private final Path dir;

    private EchoProcess(Process process, Path dir) {
        this.process = process;
        this.dir = dir;
    }

    /**
     * Starts {@code <root>/jrtc echo --signaling <ws> --id <id> --bind <bind> <extra...>} and waits until it has
     * registered with the signaling server.
     */
    public static EchoProcess start(Path root, String ws, String id, String bind, Path dir, Duration timeout,
            List<String> extra) throws IOException, InterruptedException, TimeoutException {
        List<String> cmd = new ArrayList<>(List.of(root.resolve("jrtc").toString(), "echo", "--signaling", ws, "--id", id,
                "--bind", bind));
        cmd.addAll(extra);
        Files.createDirectories(dir);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile());
        pb.environment().put("JRTC_NO_BUILD", "1");
        EchoProcess e = new EchoProcess(pb.start(), dir);
        e.awaitOut("echo agent '" + id + "' registered at", timeout);
        return e;
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    public String out() throws IOException {
        return Files.readString(dir.resolve("out"), StandardCharsets.UTF_8);
    }

    public String err() throws IOException {
        return Files.readString(dir.resolve("err"), StandardCharsets.UTF_8);
    }

    /** Waits (polling the output file every 50 ms) until standard output contains {@code text}. */
    public void awaitOut(String text, Duration timeout) throws IOException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (out().contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the echo process ended (exit " + process.exitValue() + ") before '" + text
                        + "':\n" + out() + "\n" + tail(err(), 4000));
            }
            try {
                CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS)).get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new TimeoutException("no '" + text + "' from the echo process in " + timeout + ":\n" + out() + "\n" + tail(err(), 4000));
    }

    static String tail(String s, int n) {
        return s.length() <= n ? s : "..." + s.substring(s.length() - n);
    }

    /** SIGTERM, then up to 30 s for it to stop; killed if it does not. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}

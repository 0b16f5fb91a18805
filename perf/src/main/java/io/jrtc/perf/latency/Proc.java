package io.jrtc.perf.latency;

import io.jrtc.testkit.ProcessTree;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A child process whose merged output is kept line by line (with arrival times) and copied to a log file. */
final class Proc implements AutoCloseable {

    /** One output line and when the harness read it ({@link System#nanoTime()}). */
    record Line(long at, String text) {
    }

    final String name;
    final long startedAt;
    private final Process process;
    private final List<Line> lines = new ArrayList<>();

    Proc(String name, List<String> cmd, Map<String, String> env, Path log) throws IOException {
        this.name = name;
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        startedAt = System.nanoTime();
        process = pb.start();
        Thread t = new Thread(() -> pump(log), "out-" + name);
        t.setDaemon(true);
        t.start();
    }

    private void pump(Path log) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                long at = System.nanoTime();
                synchronized (lines) {
                    lines.add(new Line(at, l));
                    lines.notifyAll();
                }
                Files.writeString(log, name + " | " + l + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            // the process ended
        }
        synchronized (lines) {
            lines.notifyAll();
        }
    }

    /** The first line (from the start) that matches, waiting up to {@code timeoutMs}; null on timeout or exit. */
    Line await(Predicate<String> match, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        int seen = 0;
        synchronized (lines) {
            for (;;) {
                for (; seen < lines.size(); seen++) {
                    if (match.test(lines.get(seen).text())) {
                        return lines.get(seen);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive() && seen == lines.size()) {
                    return null;
                }
                lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    List<Line> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    boolean waitFor(long timeoutMs) throws InterruptedException {
        return process.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        ProcessTree.stop(process);
    }
}

package io.jrtc.cli.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/** Runs the {@code jrtc} launcher script as a process. */
final class Launcher {

    /** The repository root: surefire runs in {@code cli/}. */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path SCRIPT = ROOT.resolve("jrtc");
    static final Path JAR = ROOT.resolve("cli/target/jrtc.jar");

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    /** Runs {@code script args...} to the end. */
    static Result run(Path script, Map<String, String> env, Duration timeout, String... args)
            throws IOException, InterruptedException, TimeoutException {
        Running r = start(script, env, args);
        if (!r.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            r.process.destroyForcibly();
            throw new TimeoutException(script + " " + String.join(" ", args) + " did not finish in " + timeout);
        }
        return r.result();
    }

    static Running start(Path script, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(script.toString());
        cmd.addAll(List.of(args));
        // under target/, so `mvn clean` removes the captured output
        Path base = Files.createDirectories(Path.of("target", "launcher-runs"));
        Path dir = Files.createTempDirectory(base, "run");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile());
        pb.environment().putAll(env);
        return new Running(pb.start(), dir);
    }

    /** A started launcher; its output goes to files so nothing blocks on a full pipe. */
    record Running(Process process, Path dir) {
        String out() throws IOException {
            return Files.readString(dir.resolve("out"), StandardCharsets.UTF_8);
        }

        String err() throws IOException {
            return Files.readString(dir.resolve("err"), StandardCharsets.UTF_8);
        }

        Result result() throws IOException {
            return new Result(process.exitValue(), out(), err());
        }

        /** Waits (checking every 50 ms) until standard output satisfies {@code condition}, or the process ends. */
        String awaitOut(Predicate<String> condition, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                String o = out();
                if (condition.test(o)) {
                    return o;
                }
                if (!process.isAlive()) {
                    throw new AssertionError("the launcher ended first: exit " + process.exitValue() + "\n" + o + "\n" + err());
                }
                CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS)).get();
            }
            throw new TimeoutException("no matching output in " + timeout + ":\n" + out() + "\n" + err());
        }
    }
}

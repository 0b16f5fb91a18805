package io.jrtc.deploy;

import io.jrtc.testkit.ProcessTree;
import io.jrtc.testkit.interop.Interop;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code ./jrtc mesh} process, as a user runs it: the launcher at the repository root on the packaged jar
 * ({@code JRTC_NO_BUILD=1}: the jar is used as it is, so build it first with
 * {@code mvn -B -ntp -o -q package -DskipTests -pl cli -am}; {@code mvn verify} packages the CLI before this module).
 * Lines are typed on its standard input; its standard output and error go to files, read as they grow.
 */
final class MeshProcess implements AutoCloseable {

    /** What {@code jrtc mesh} prints once registered: {@code mesh agent NAME.HEX registered at URL; ...}. */
    static final Pattern REGISTERED = Pattern.compile("(?m)^mesh agent (\\S+)\\.([0-9a-f]{32}) registered at ");
    /** What the console prints when a link comes up: {@code * neighbour up: NAME (HEX8)}. */
    static final Pattern NEIGHBOUR_UP = Pattern.compile("(?m)^\\* neighbour up: (\\S+) \\(([0-9a-f]{8})\\)$");

    final String name;
    private final Process process;
    private final Path out;
    private final Path err;
    private final OutputStream stdin;

    private MeshProcess(String name, Process process, Path out, Path err) {
        this.name = name;
        this.process = process;
        this.out = out;
        this.err = err;
        this.stdin = process.getOutputStream();
    }

    static Path launcher() {
        return LocalDeployment.repo().resolve("jrtc");
    }

    static Path jar() {
        return LocalDeployment.repo().resolve("cli/target/jrtc.jar");
    }

    /** Skips (or, with JRTC_REQUIRE_INTEROP=1, fails) unless the packaged CLI is there to run. */
    static void requireJar() {
        Interop.require("the packaged CLI", Files.isRegularFile(jar()),
                jar() + " is missing (mvn -B -ntp -o -q package -DskipTests -pl cli -am)");
    }

    /**
     * Starts {@code ./jrtc mesh --id NAME --signaling URL --key DIR/NAME.key ARGS...}, with {@code secret} (if not
     * null) as {@code JRTC_SIGNALING_SECRET}; output goes to {@code DIR/NAME.out} and {@code DIR/NAME.err}.
     */
    static MeshProcess start(Path dir, String name, URI signaling, String secret, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(launcher().toString(), "mesh", "--id", name,
                "--signaling", signaling.toString(), "--key", dir.resolve(name + ".key").toString()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("JRTC_NO_BUILD", "1");
        // No class-data cache: its one-time training run would start once per process, all at the same time.
        pb.environment().put("JRTC_CDS", "0");
        pb.environment().put("JRTC_JAVA_OPTS", "-Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        pb.environment().remove("JRTC_TOKEN");
        if (secret != null) {
            pb.environment().put("JRTC_SIGNALING_SECRET", secret);
        } else {
            pb.environment().remove("JRTC_SIGNALING_SECRET");
        }
        return new MeshProcess(name, pb.start(), out, err);
    }

    /** Types one line on the process's standard input. */
    void type(String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    String out() {
        return read(out);
    }

    String err() {
        return read(err);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The agent id (32 hex digits) from the registration line, or null before it. */
    String agentId() {
        Matcher m = REGISTERED.matcher(out());
        return m.find() ? m.group(2) : null;
    }

    /** How the others' consoles name this agent: {@code NAME (HEX8)}. */
    String shown() {
        String id = agentId();
        if (id == null) {
            throw new IllegalStateException(name + " has not registered");
        }
        return name + " (" + id.substring(0, 8) + ")";
    }

    /** Waits (every 50 ms) until standard output satisfies {@code condition}; fails if the process ends first. */
    String awaitOut(String what, Predicate<String> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String o = out();
            if (condition.test(o)) {
                return o;
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " ended (exit " + process.exitValue() + ") before " + what + "\n"
                        + describe());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + ": no " + what + " within " + timeout + "\n" + describe());
            }
            TimeUnit.MILLISECONDS.sleep(50); // polling interval of a condition with a deadline
        }
    }

    /** Its output and the tail of its log, for failure messages. */
    String describe() {
        List<String> log = err().lines().toList();
        return "--- " + name + " stdout:\n" + out() + "--- " + name + " stderr (tail):\n"
                + String.join("\n", log.subList(Math.max(0, log.size() - 20), log.size())) + "\n";
    }

    /**
     * The links the consoles printed ({@code * neighbour up: NAME (HEX8)}), by name, both ways (links are symmetric);
     * {@code outputs} maps each agent's name to its standard output.
     */
    static Map<String, Set<String>> links(Map<String, String> outputs) {
        Map<String, Set<String>> links = new HashMap<>();
        outputs.forEach((name, out) -> {
            Matcher m = NEIGHBOUR_UP.matcher(out);
            while (m.find()) {
                links.computeIfAbsent(name, k -> new HashSet<>()).add(m.group(1));
                links.computeIfAbsent(m.group(1), k -> new HashSet<>()).add(name);
            }
        });
        return links;
    }

    /** Whether {@code links} join all of {@code names} in one component. */
    static boolean oneComponent(Map<String, Set<String>> links, Set<String> names) {
        if (names.isEmpty()) {
            return true;
        }
        Set<String> seen = new HashSet<>(Set.of(names.iterator().next()));
        List<String> todo = new ArrayList<>(seen);
        while (!todo.isEmpty()) {
            for (String n : links.getOrDefault(todo.removeLast(), Set.of())) {
                if (seen.add(n)) {
                    todo.add(n);
                }
            }
        }
        return seen.containsAll(names);
    }

    /** SIGKILL: the agent ends without a word to anyone (no DTLS close, no signaling goodbye), as in a crash. */
    void crash() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " outlived SIGKILL for 10 s");
        }
    }

    /** SIGTERM (the agent says goodbye to its neighbours), then SIGKILL after 5 s. */
    @Override
    public void close() {
        ProcessTree.stop(process);
    }
}

package io.jrtc.testkit.interop;

import io.jrtc.testkit.ProcessTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real WebRTC peer process running inside a {@link PrivateNetwork}: headless Chromium or Firefox ESR loading the
 * harness page, werift on node, or stock Pion (Go). Every process starts in its own session and process group, and
 * {@link #close()} ends that whole group (browsers start helper processes).
 */
public final class RemotePeer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RemotePeer.class);

    public enum Kind { CHROMIUM, FIREFOX, WERIFT, PION }

    private final Process process;
    private final Path workDir;
    private final Kind kind;
    private final Path log;

    private RemotePeer(Kind kind, Process process, Path workDir, Path log) {
        this.kind = kind;
        this.process = process;
        this.workDir = workDir;
        this.log = log;
    }

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    /** Why this kind of peer cannot run here, or null. */
    public static String unavailableReason(Kind kind) {
        String net = PrivateNetwork.unavailableReason();
        if (net != null) {
            return net;
        }
        return switch (kind) {
            case CHROMIUM -> Files.isExecutable(CHROMIUM) ? null : "Chromium is not installed (apt-get install chromium)";
            case FIREFOX -> Files.isExecutable(Firefox.BINARY) ? null : "Firefox ESR is not installed (apt-get install firefox-esr)";
            case PION -> Pion.unavailableReason();
            case WERIFT -> Files.isDirectory(HarnessServer.repoRoot().resolve("interop/node_modules/werift"))
                    ? (onPath("node") ? null : "node is not installed")
                    : "werift is not installed (cd interop && npm ci)";
        };
    }

    private static boolean onPath(String exe) {
        return Interop.onPath(exe) != null;
    }

    /** Starts Chromium headless on {@code url}; {@code mdns} keeps Chromium's default of hiding local IPs behind .local names. */
    public static RemotePeer chromium(PrivateNetwork net, String url, boolean mdns, List<String> extraFlags) throws IOException {
        Path dir = Files.createTempDirectory("jrtc-chromium");
        List<String> argv = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-default-apps", "--disable-extensions", "--mute-audio", "--disable-dev-shm-usage",
                "--enable-logging=stderr", "--v=0",
                "--user-data-dir=" + dir.resolve("profile")));
        if (!mdns) {
            argv.add("--disable-features=WebRtcHideLocalIpsWithMdns");
        }
        argv.addAll(extraFlags);
        argv.add(url);
        return start(Kind.CHROMIUM, net, argv, Map.of(), dir);
    }

    /**
     * Starts Firefox ESR headless on {@code url} with a fresh profile that switches off its background services;
     * {@code mdns} keeps Firefox's default of hiding host addresses behind {@code .local} names.
     */
    public static RemotePeer firefox(PrivateNetwork net, String url, boolean mdns) throws IOException {
        Path dir = Files.createTempDirectory("jrtc-firefox");
        Path profile = Firefox.profile(dir, mdns);
        return start(Kind.FIREFOX, net, Firefox.argv(profile, url), Firefox.env(), dir);
    }

    /**
     * Starts the Pion peer (interop/pion, built on demand) talking to the harness at {@code baseUrl}; it gathers only on
     * the namespace's address.
     */
    public static RemotePeer pion(PrivateNetwork net, String baseUrl) throws IOException {
        Path bin = Pion.binary();
        Path dir = Files.createTempDirectory("jrtc-pion");
        // pion/logging: warnings and errors of every Pion package go to the log.
        return start(Kind.PION, net, List.of(bin.toString(), baseUrl, net.peerAddress().getHostAddress()),
                Map.of("PIONS_LOG_WARN", "all"), dir);
    }

    /** Starts werift (node) talking to the harness at {@code baseUrl}. */
    public static RemotePeer werift(PrivateNetwork net, String baseUrl) throws IOException {
        Path dir = Files.createTempDirectory("jrtc-werift");
        Path script = HarnessServer.repoRoot().resolve("interop/harness/werift-peer.mjs");
        return start(Kind.WERIFT, net, List.of("node", script.toString(), baseUrl), Map.of(), dir);
    }

    private static RemotePeer start(Kind kind, PrivateNetwork net, List<String> argv, Map<String, String> env, Path dir)
            throws IOException {
        Path log = Path.of("target", "interop-logs");
        Files.createDirectories(log);
        Path logFile = log.resolve(kind.name().toLowerCase() + "-" + System.nanoTime() + ".log");
        // setsid: the peer leads a new process group (it is not a group leader when the JVM starts it, so setsid execs
        // in place and the group id is this process's pid).
        List<String> cmd = new ArrayList<>(List.of("setsid"));
        cmd.addAll(net.command(argv.toArray(String[]::new)));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        pb.directory(HarnessServer.repoRoot().resolve("interop").toFile());
        pb.environment().putAll(env);
        LOG.info("starting {} in {} (log {})", kind, net.namespace(), logFile);
        return new RemotePeer(kind, pb.start(), dir, logFile);
    }

    public Kind kind() {
        return kind;
    }

    /** Where the process's output goes (under {@code target/interop-logs}). */
    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        // The whole process group: a browser's helper processes are in it even when they outlive their parent.
        signalGroup("TERM");
        ProcessTree.stop(process);
        signalGroup("KILL");
        deleteTree(workDir);
    }

    private void signalGroup(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + process.pid()).redirectErrorStream(true).start();
            kill.getInputStream().readAllBytes(); // "no such process" once the group is gone
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            LOG.debug("kill -{} of {}'s group failed", signal, kind, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path workDir) {
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("could not clean {}", workDir, e);
        }
    }
}

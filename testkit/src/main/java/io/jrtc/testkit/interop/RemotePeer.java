package io.jrtc.testkit.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A real WebRTC peer process (headless Chromium or werift on node) running inside a {@link PrivateNetwork}. */
public final class RemotePeer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RemotePeer.class);

    public enum Kind { CHROMIUM, WERIFT }

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
            case WERIFT -> Files.isDirectory(HarnessServer.repoRoot().resolve("interop/node_modules/werift"))
                    ? (onPath("node") ? null : "node is not installed")
                    : "werift is not installed (cd interop && npm ci)";
        };
    }

    private static boolean onPath(String exe) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, exe))) {
                return true;
            }
        }
        return false;
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
        return start(Kind.CHROMIUM, net, argv, dir);
    }

    /** Starts werift (node) talking to the harness at {@code baseUrl}. */
    public static RemotePeer werift(PrivateNetwork net, String baseUrl) throws IOException {
        Path dir = Files.createTempDirectory("jrtc-werift");
        Path script = HarnessServer.repoRoot().resolve("interop/harness/werift-peer.mjs");
        return start(Kind.WERIFT, net, List.of("node", script.toString(), baseUrl), dir);
    }

    private static RemotePeer start(Kind kind, PrivateNetwork net, List<String> argv, Path dir) throws IOException {
        Path log = Path.of("target", "interop-logs");
        Files.createDirectories(log);
        Path logFile = log.resolve(kind.name().toLowerCase() + "-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(net.command(argv.toArray(String[]::new)))
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        pb.directory(HarnessServer.repoRoot().resolve("interop").toFile());
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
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("could not clean {}", workDir, e);
        }
    }
}

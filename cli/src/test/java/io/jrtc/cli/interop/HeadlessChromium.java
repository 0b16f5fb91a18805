package io.jrtc.cli.interop;

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

/**
 * Headless Chromium inside a {@link PrivateNetwork}, opening one URL, with the flags INTEROP.md lists (adapted from
 * peer's {@code RemotePeer}). Its output goes to {@code target/interop-logs/}.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HeadlessChromium.class);
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private final Process process;
    private final Path profile;
    final Path log;

    private HeadlessChromium(Process process, Path profile, Path log) {
        this.process = process;
        this.profile = profile;
        this.log = log;
    }

    /** Why Chromium cannot run here, or null. */
    static String unavailableReason() {
        String net = PrivateNetwork.unavailableReason();
        if (net != null) {
            return net;
        }
        return Files.isExecutable(CHROMIUM) ? null : "Chromium is not installed (apt-get install chromium)";
    }

    /** Opens {@code url}; {@code mdns} keeps Chromium's default of hiding local IPs behind {@code .local} names. */
    static HeadlessChromium open(PrivateNetwork net, String url, boolean mdns) throws IOException {
        Path profile = Files.createTempDirectory("jrtc-cli-chromium");
        List<String> argv = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-default-apps", "--disable-extensions", "--mute-audio", "--disable-dev-shm-usage",
                "--enable-logging=stderr", "--v=0", "--user-data-dir=" + profile));
        if (!mdns) {
            argv.add("--disable-features=WebRtcHideLocalIpsWithMdns");
        }
        argv.add(url);
        Path logs = Path.of("target", "interop-logs");
        Files.createDirectories(logs);
        Path log = logs.resolve("chromium-" + (mdns ? "mdns-" : "") + System.nanoTime() + ".log");
        LOG.info("starting Chromium in {} on {} (log {})", net.namespace(), url, log);
        Process p = new ProcessBuilder(net.command(argv.toArray(String[]::new)))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new HeadlessChromium(p, profile, log);
    }

    boolean isAlive() {
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
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            LOG.debug("could not clean {}", profile, e);
        }
    }
}

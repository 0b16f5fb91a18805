package io.jrtc.testkit.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stock Pion WebRTC 3.1 as an interop peer: the Go program in {@code interop/pion}, built on demand, offline, in GOPATH
 * mode against the Go sources Debian installs under {@code /usr/share/gocode} (packages {@code golang-go} and
 * {@code golang-github-pion-webrtc.v3-dev}). The binary goes to {@code target/pion/} of the module that runs the test
 * and is rebuilt when a source is newer.
 */
final class Pion {

    private static final Logger LOG = LoggerFactory.getLogger(Pion.class);
    static final Path GOCODE = Path.of("/usr/share/gocode");
    static final Path WEBRTC = GOCODE.resolve("src/github.com/pion/webrtc");

    private Pion() {
    }

    static String unavailableReason() {
        if (Interop.onPath("go") == null) {
            return "Go is not installed (apt-get install golang-go)";
        }
        if (!Files.isDirectory(WEBRTC)) {
            return "Pion's Go sources are not installed (apt-get install golang-github-pion-webrtc.v3-dev)";
        }
        return null;
    }

    /** The built program, building it first when it is missing or older than its sources. */
    static synchronized Path binary() throws IOException {
        Path src = HarnessServer.repoRoot().resolve("interop/pion");
        Path out = Path.of("target", "pion").toAbsolutePath();
        Path bin = out.resolve("jrtc-pion-peer");
        List<Path> sources;
        try (Stream<Path> s = Files.list(src)) {
            sources = s.filter(p -> p.toString().endsWith(".go") || p.getFileName().toString().equals("go.mod")).toList();
        }
        if (Files.isExecutable(bin)) {
            long built = Files.getLastModifiedTime(bin).toMillis();
            boolean stale = false;
            for (Path p : sources) {
                stale |= Files.getLastModifiedTime(p).toMillis() > built;
            }
            if (!stale) {
                return bin;
            }
        }
        // GOPATH mode wants the package under <gopath>/src; the go.mod marker maps Pion's /v3 import paths.
        Path gopath = out.resolve("gopath");
        Path pkg = Files.createDirectories(gopath.resolve("src/jrtcpion"));
        for (Path p : sources) {
            Files.copy(p, pkg.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        Path tmp = out.resolve("jrtc-pion-peer.tmp");
        ProcessBuilder pb = new ProcessBuilder("go", "build", "-o", tmp.toString(), "jrtcpion").redirectErrorStream(true);
        pb.environment().put("GO111MODULE", "off");
        pb.environment().put("GOPROXY", "off");
        pb.environment().put("GOFLAGS", "");
        pb.environment().put("GOPATH", GOCODE + ":" + gopath);
        long t0 = System.nanoTime();
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("building the Pion peer failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while building the Pion peer", e);
        }
        Files.move(tmp, bin, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("built the Pion peer in {} ms: {}", (System.nanoTime() - t0) / 1_000_000, bin);
        return bin;
    }
}

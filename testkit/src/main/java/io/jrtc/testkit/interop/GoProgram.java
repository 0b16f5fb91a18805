package io.jrtc.testkit.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a Go program of this repository (a directory of {@code .go} files and an optional {@code go.mod}) offline, in
 * GOPATH mode, against the Go sources Debian installs under {@code /usr/share/gocode} (packages {@code golang-go} and,
 * for Pion, {@code golang-github-pion-webrtc.v3-dev}). Nothing is downloaded: {@code GO111MODULE=off},
 * {@code GOPROXY=off}, {@code GOFLAGS} empty. The binary is rebuilt only when one of its sources is newer.
 */
public final class GoProgram {

    private static final Logger LOG = LoggerFactory.getLogger(GoProgram.class);
    /** Where Debian's {@code golang-*-dev} packages put their Go sources. */
    public static final Path GOCODE = Path.of("/usr/share/gocode");

    private GoProgram() {
    }

    /**
     * Why Go programs cannot be built here ({@code go} missing, or {@code requiredSource}, a directory under
     * {@code /usr/share/gocode/src}, missing), or null when they can.
     */
    public static String unavailableReason(String requiredSource, String installHint) {
        if (Interop.onPath("go") == null) {
            return "Go is not installed (apt-get install golang-go)";
        }
        if (requiredSource != null && !Files.isDirectory(GOCODE.resolve("src").resolve(requiredSource))) {
            return requiredSource + " Go sources are not installed (" + installHint + ")";
        }
        return null;
    }

    /**
     * The program in {@code sources} built as {@code outDir/name}, building it first when it is missing or older than
     * one of its sources.
     *
     * @throws IOException when the build fails (the message carries go's output) or takes more than ten minutes
     */
    public static synchronized Path build(Path sources, Path outDir, String name) throws IOException {
        Path out = outDir.toAbsolutePath();
        Path bin = out.resolve(name);
        List<Path> files;
        try (Stream<Path> s = Files.list(sources)) {
            files = s.filter(p -> p.toString().endsWith(".go") || p.getFileName().toString().equals("go.mod")).toList();
        }
        if (Files.isExecutable(bin)) {
            long built = Files.getLastModifiedTime(bin).toMillis();
            boolean stale = false;
            for (Path p : files) {
                stale |= Files.getLastModifiedTime(p).toMillis() > built;
            }
            if (!stale) {
                return bin;
            }
        }
        // GOPATH mode wants the package under <gopath>/src; a go.mod next to it maps /v3 import paths.
        Path gopath = out.resolve("gopath");
        Path pkg = Files.createDirectories(gopath.resolve("src").resolve(name));
        for (Path p : files) {
            Files.copy(p, pkg.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        Path tmp = out.resolve(name + ".tmp");
        ProcessBuilder pb = new ProcessBuilder("go", "build", "-o", tmp.toString(), name).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("GO111MODULE", "off");
        env.put("GOPROXY", "off");
        env.put("GOFLAGS", "");
        env.put("GOPATH", GOCODE + ":" + gopath);
        if (!env.containsKey("GOCACHE") && !env.containsKey("XDG_CACHE_HOME") && !env.containsKey("HOME")) {
            env.put("GOCACHE", out.resolve("gocache").toString());   // go has no default cache without a home
        }
        long t0 = System.nanoTime();
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("go build of " + sources + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while building " + sources, e);
        }
        Files.move(tmp, bin, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("built {} in {} ms: {}", sources, (System.nanoTime() - t0) / 1_000_000, bin);
        return bin;
    }
}

package io.jrtc.testkit.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs the short administrative commands ({@code ip}, {@code nft}, {@code sysctl}) that build test networks. */
final class Shell {

    private Shell() {
    }

    /**
     * Runs {@code argv}, waiting at most 10 s.
     *
     * @throws IOException when it times out, or fails while {@code mustSucceed} (the message carries its output)
     */
    static void run(boolean mustSucceed, String... argv) throws IOException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", argv));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0 && mustSucceed) {
                throw new IOException(String.join(" ", argv) + " failed (" + p.exitValue() + "): " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", argv), e);
        }
    }

    /**
     * Runs {@code argv} (a read-only query, e.g. a namespace's counters) and returns its output, or a parenthesised
     * note of why there is none: for diagnostics and counters, never thrown.
     */
    static String output(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(5, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "(unavailable: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }
}

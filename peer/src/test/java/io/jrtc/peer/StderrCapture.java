package io.jrtc.peer;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies what is written to {@code System.err} (where slf4j-simple logs) while open, still passing it through; for
 * tests that count log lines. Test classes run one at a time in surefire's JVM, so no other test's lines interleave
 * unless they share this class's run.
 */
final class StderrCapture implements AutoCloseable {

    private final PrintStream original = System.err;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    StderrCapture() {
        System.setErr(new PrintStream(new Tee(original, copy), true, StandardCharsets.UTF_8));
    }

    /** The captured lines that contain every one of {@code parts}. */
    List<String> lines(String... parts) {
        List<String> out = new ArrayList<>();
        String all;
        synchronized (copy) {
            all = copy.toString(StandardCharsets.UTF_8);
        }
        for (String line : all.split("\n")) {
            boolean match = true;
            for (String p : parts) {
                match &= line.contains(p);
            }
            if (match) {
                out.add(line);
            }
        }
        return out;
    }

    @Override
    public void close() {
        System.setErr(original);
    }

    /** Writes to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final ByteArrayOutputStream b;

        Tee(OutputStream a, ByteArrayOutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws java.io.IOException {
            a.write(x);
            synchronized (b) {
                b.write(x);
            }
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            synchronized (b) {
                b.write(buf, off, len);
            }
        }
    }
}

package io.jrtc.peer;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The log lines SLF4J actually emits, as seen by whoever reads the process's stderr. The test class path binds
 * slf4j-simple, which looks up {@code System.err} on every write (no {@code cacheOutputStream}); this tees
 * {@code System.err} into a line buffer, passing everything on to the stream it replaced. A line is a log line when it
 * carries slf4j-simple's {@code [thread] LEVEL logger - } prefix; the other lines (stack traces, stray output) are kept
 * apart. Thread-safe: every thread's logging goes through here.
 */
final class CapturedLog implements AutoCloseable {

    /** One emitted log line. */
    record Line(String level, String logger, String message) {
    }

    private static final Pattern LOG_LINE = Pattern.compile("\\[[^\\]]*\\] (TRACE|DEBUG|INFO|WARN|ERROR) (\\S+) - (.*)");

    private final PrintStream original;
    private final List<Line> lines = new ArrayList<>();
    private final List<String> other = new ArrayList<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    private CapturedLog() {
        this.original = System.err;
    }

    /** Starts capturing; {@link #close()} puts the previous stream back. */
    static CapturedLog start() {
        CapturedLog c = new CapturedLog();
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                c.accept(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                c.accept(b, off, len);
            }
        }, true, StandardCharsets.UTF_8));
        return c;
    }

    private synchronized void accept(byte[] b, int off, int len) {
        original.write(b, off, len);
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                String s = partial.toString(StandardCharsets.UTF_8);
                partial.reset();
                Matcher m = LOG_LINE.matcher(s);
                if (m.find()) {
                    lines.add(new Line(m.group(1), m.group(2), m.group(3)));
                } else {
                    other.add(s);
                }
            } else {
                partial.write(b[i]);
            }
        }
    }

    /** The log lines so far. */
    synchronized List<Line> lines() {
        return List.copyOf(lines);
    }

    /** The log lines from index {@code from} on. */
    synchronized List<Line> linesSince(int from) {
        return List.copyOf(lines.subList(Math.min(from, lines.size()), lines.size()));
    }

    synchronized int size() {
        return lines.size();
    }

    /** The messages of the log lines so far at {@code level} (any level when null) that contain every one of {@code parts}. */
    synchronized List<String> messages(String level, String... parts) {
        List<String> out = new ArrayList<>();
        for (Line l : lines) {
            if (level != null && !l.level().equals(level)) {
                continue;
            }
            boolean all = true;
            for (String p : parts) {
                all &= l.message().contains(p);
            }
            if (all) {
                out.add(l.message());
            }
        }
        return out;
    }

    /** Lines that were not log lines (stack trace lines, other output), so far. */
    synchronized List<String> otherLines() {
        return List.copyOf(other);
    }

    @Override
    public void close() {
        System.err.flush();
        System.setErr(original);
    }

    /** Lines at WARN or ERROR among {@code lines}. */
    static List<Line> warnings(List<Line> lines) {
        List<Line> w = new ArrayList<>();
        for (Line l : lines) {
            if (l.level().equals("WARN") || l.level().equals("ERROR")) {
                w.add(l);
            }
        }
        return w;
    }
}

package io.jrtc.mesh.audit;

import io.jrtc.mesh.MeshSigner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers for the audit tests: a clock that moves only when told, and a log file as a list of lines. */
final class AuditFiles {

    private AuditFiles() {
    }

    /** A wall clock for tests: starts at a fixed instant and moves only by {@link #advance}. */
    static final class SteppingClock extends Clock {
        private volatile Instant now = Instant.parse("2026-12-05T04:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /**
     * A log of {@code n} entries "test.event" with fields i=0..n-1, checkpoints every {@code every} entries, closed.
     * With every=4 and n=10 its 15 lines are: 1 start, 2 checkpoint (open), 3-6 i=0..3, 7 checkpoint, 8-11 i=4..7,
     * 12 checkpoint, 13-14 i=8..9, 15 checkpoint (close).
     */
    static Path write(Path file, MeshSigner signer, int n, int every) throws IOException {
        SteppingClock clock = new SteppingClock();
        try (AuditLog log = AuditLog.open(file, signer, new AuditLog.Options(every, Duration.ofHours(1)), clock)) {
            for (int i = 0; i < n; i++) {
                clock.advance(Duration.ofMillis(250));
                Map<String, String> f = new LinkedHashMap<>();
                f.put("i", Integer.toString(i));
                f.put("peer", "agent-" + i);
                log.record("test.event", f);
            }
        }
        return file;
    }

    /** The file's lines, without their newlines (the file must end with one). */
    static List<byte[]> lines(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                out.add(Arrays.copyOfRange(all, start, i));
                start = i + 1;
            }
        }
        if (start != all.length) {
            throw new IllegalStateException("no newline at the end of " + file);
        }
        return out;
    }

    static String text(byte[] line) {
        return new String(line, StandardCharsets.UTF_8);
    }

    /** Writes lines, each followed by a newline. */
    static Path writeLines(Path file, List<byte[]> lines) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] l : lines) {
            out.writeBytes(l);
            out.write('\n');
        }
        Files.write(file, out.toByteArray());
        return file;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

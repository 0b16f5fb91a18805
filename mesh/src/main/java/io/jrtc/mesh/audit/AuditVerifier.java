package io.jrtc.mesh.audit;

import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.Ed25519Verifier;
import io.jrtc.mesh.audit.AuditFormat.Entry;
import io.jrtc.mesh.audit.AuditFormat.MalformedLine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Checks an audit log written by {@link AuditLog}: every line canonical, every entry chained to the one before by
 * SHA-256, sequence numbers consecutive from 0, every checkpoint signed by the key in the first entry, and (when asked)
 * that key the expected one. Reports the first bad line and why, or how many lines follow the last checkpoint
 * unsigned. See mesh/README.md, "Audit trail", for what this proves and what it cannot.
 *
 * <p>Stateless and thread-safe; reads the file once, front to back, holding a line or two at a time.
 */
public final class AuditVerifier {

    private AuditVerifier() {
    }

    /** What the verdict is. */
    public enum Status {
        /** Every line is chained and covered by a valid checkpoint signature. */
        OK,
        /** The chain is intact, but lines after the last checkpoint are signed by nothing. */
        UNSIGNED_TAIL,
        /** An entry was edited, deleted, reordered or forged, or the key is not the expected one. */
        BROKEN
    }

    /** Why a line is bad. */
    public enum Problem {
        /** Not a canonical entry of this format (includes a last line cut short). */
        MALFORMED,
        /** An entry's content differs from what was chained (or signed). */
        EDITED,
        /** One or more entries are missing. */
        DELETED,
        /** Entries are out of order (or repeated). */
        REORDERED,
        /** A checkpoint's signature does not verify with the log's key. */
        BAD_SIGNATURE,
        /** The log's key is not the expected key, or does not belong to the expected agent. */
        WRONG_KEY,
        /** Lines after the last checkpoint: chained, but nothing proves who wrote them. */
        UNSIGNED_TAIL
    }

    /** An optional expectation about whose log this is: a raw 32-byte Ed25519 key, an agent id, or neither. */
    public record Expected(byte[] publicKey, AgentId agent) {

        public static final Expected ANY = new Expected(null, null);

        public static Expected key(byte[] rawPublicKey) {
            if (rawPublicKey.length != 32) {
                throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, not " + rawPublicKey.length);
            }
            return new Expected(rawPublicKey.clone(), null);
        }

        public static Expected agent(AgentId agent) {
            return new Expected(null, Objects.requireNonNull(agent));
        }
    }

    /**
     * The verdict.
     *
     * @param status       the verdict
     * @param problem      why, or null when {@link Status#OK}
     * @param line         the first bad line (1-based), or the first unsigned line; 0 when OK
     * @param detail       one sentence for a person, or "" when OK
     * @param lines        lines read and found good (all of them when not {@link Status#BROKEN})
     * @param checkpoints  valid checkpoints among them
     * @param unsignedTail lines after the last valid checkpoint
     * @param agent        the agent the log's key belongs to, or null when its first line is unusable
     * @param publicKeyHex the log's key as 64 hex digits, or null
     * @param lastSeq      the sequence number of the last good line, or -1
     * @param lastHash     the SHA-256 (hex) of the last good line, or the genesis value
     */
    public record Result(Status status, Problem problem, long line, String detail, long lines, long checkpoints,
                         long unsignedTail, AgentId agent, String publicKeyHex, long lastSeq, String lastHash) {

        public boolean ok() {
            return status == Status.OK;
        }

        /** One line: "OK: …" or "line N: PROBLEM: detail". */
        public String describe() {
            String who = agent == null ? "" : ", agent " + agent;
            return switch (status) {
                case OK -> "OK: " + lines + " entries, " + checkpoints + " signed checkpoints" + who;
                case UNSIGNED_TAIL -> "UNSIGNED TAIL: line " + line + ": " + detail + " (" + lines + " entries, "
                        + checkpoints + " signed checkpoints" + who + ")";
                case BROKEN -> "BROKEN: line " + line + ": " + problem + ": " + detail;
            };
        }
    }

    public static Result verify(Path file) throws IOException {
        return verify(file, Expected.ANY);
    }

    /** Verifies the file; throws only when it cannot be read. */
    public static Result verify(Path file, Expected expected) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return verify(in, expected);
        }
    }

    /** Verifies a log read from {@code in} (not closed). */
    public static Result verify(InputStream in, Expected expected) throws IOException {
        return new Run(new Lines(in), expected).run();
    }

    /** One verification. */
    private static final class Run {
        private final Lines lines;
        private final Expected expected;
        private final Ed25519Verifier ed25519 = new Ed25519Verifier();
        private long lineNo;
        private long checkpoints;
        private long lastCheckpointLine;
        private long prevSeq = -1;
        private String prevHash = AuditFormat.GENESIS;
        private byte[] key;
        private AgentId agent;

        Run(Lines lines, Expected expected) {
            this.lines = lines;
            this.expected = expected;
        }

        Result run() throws IOException {
            for (Lines.Raw raw = lines.next(); raw != null; raw = lines.next()) {
                lineNo++;
                Entry e;
                try {
                    e = read(raw);
                } catch (MalformedLine m) {
                    return broken(Problem.MALFORMED, lineNo, m.getMessage());
                }
                Result bad = lineNo == 1 ? start(e) : next(e, raw.bytes);
                if (bad != null) {
                    return bad;
                }
                prevHash = AuditFormat.sha256Hex(raw.bytes);
                prevSeq = e.seq();
            }
            if (lineNo == 0) {
                return broken(Problem.MALFORMED, 1, "empty: no start entry");
            }
            long tail = lineNo - lastCheckpointLine;
            if (tail > 0) {
                String after = lastCheckpointLine == 0 ? "there is no checkpoint: no line is signed"
                        : "after the last checkpoint (line " + lastCheckpointLine + ")";
                return result(Status.UNSIGNED_TAIL, Problem.UNSIGNED_TAIL, lastCheckpointLine + 1,
                        tail + (tail == 1 ? " line is" : " lines are") + " chained but not signed, " + after
                                + "; they may have been appended by anyone, and lines removed from the end cannot be detected");
            }
            return result(Status.OK, null, 0, "");
        }

        private static Entry read(Lines.Raw raw) throws MalformedLine {
            if (raw.tooLong) {
                throw new MalformedLine("longer than " + AuditFormat.MAX_LINE + " bytes");
            }
            if (!raw.terminated) {
                throw new MalformedLine("the last line has no newline: cut short (a torn write or a truncation)");
            }
            return AuditFormat.parse(raw.bytes);
        }

        /** The first line: the start entry that names the key. */
        private Result start(Entry e) {
            if (!AuditFormat.KIND_START.equals(e.kind())) {
                if (e.seq() > 0) {
                    return broken(Problem.DELETED, 1, "the log starts at sequence " + e.seq()
                            + ": the start entry and the entries before were removed");
                }
                return broken(Problem.MALFORMED, 1, "the first entry is \"" + e.kind() + "\", not the start entry");
            }
            if (e.seq() != 0 || !AuditFormat.GENESIS.equals(e.prev())) {
                return broken(Problem.EDITED, 1, "the start entry must have sequence 0 and the genesis hash");
            }
            if (!AuditFormat.VERSION.equals(e.fields().get("format"))) {
                return broken(Problem.MALFORMED, 1, "unknown format " + e.fields().get("format"));
            }
            String keyHex = e.fields().get("public_key");
            if (!AuditFormat.isHex(keyHex, 64)) {
                return broken(Problem.MALFORMED, 1, "the start entry has no 32-byte public_key");
            }
            key = AuditFormat.hexBytes(keyHex);
            agent = AgentId.ofPublicKey(key);
            if (!agent.toString().equals(e.fields().get("agent"))) {
                return broken(Problem.EDITED, 1, "agent " + e.fields().get("agent") + " is not the id of public_key "
                        + keyHex + " (" + agent + ")");
            }
            if (expected.publicKey() != null && !Arrays.equals(expected.publicKey(), key)) {
                return broken(Problem.WRONG_KEY, 1, "the log's key " + keyHex + " is not the expected key "
                        + AuditFormat.hex(expected.publicKey()));
            }
            if (expected.agent() != null && !expected.agent().equals(agent)) {
                return broken(Problem.WRONG_KEY, 1, "the log belongs to agent " + agent + ", not to "
                        + expected.agent());
            }
            return null;
        }

        /** A line after the first. */
        private Result next(Entry e, byte[] bytes) throws IOException {
            long want = prevSeq + 1;
            if (!e.prev().equals(prevHash)) {
                if (e.seq() == want) {
                    return edited(e, bytes);
                }
                if (e.seq() < want) {
                    return broken(Problem.REORDERED, lineNo, "sequence " + e.seq() + " after " + prevSeq
                            + ": entries out of order or repeated");
                }
                return appearsLater(want)
                        ? broken(Problem.REORDERED, lineNo, "sequence " + e.seq() + " where " + want
                                + " was due, and " + want + " comes later: entries out of order")
                        : broken(Problem.DELETED, lineNo, (e.seq() - want == 1 ? "entry " + want + " is"
                                : "entries " + want + ".." + (e.seq() - 1) + " are") + " missing before this line");
            }
            if (e.seq() != want) {
                return broken(Problem.EDITED, lineNo, "sequence " + e.seq() + " where " + want
                        + " was due, though the chain is intact: the sequence number was altered");
            }
            if (AuditFormat.KIND_START.equals(e.kind())) {
                return broken(Problem.MALFORMED, lineNo, "a second start entry");
            }
            if (e.isCheckpoint()) {
                if (e.sig() == null) {
                    return broken(Problem.MALFORMED, lineNo, "a checkpoint without a signature");
                }
                if (!signatureValid(e)) {
                    return broken(Problem.BAD_SIGNATURE, lineNo, "the checkpoint's signature does not verify with key "
                            + AuditFormat.hex(key));
                }
                checkpoints++;
                lastCheckpointLine = lineNo;
            } else if (e.sig() != null) {
                return broken(Problem.MALFORMED, lineNo, "a signature on an entry that is not a checkpoint");
            }
            return null;
        }

        /**
         * Line {@code lineNo} has the right sequence number but does not chain to the line before: one of the two was
         * altered. This line is intact if it is a checkpoint whose signature (which covers its prev hash) verifies, or if
         * its own hash is what the next line records; then the line before was altered.
         */
        private Result edited(Entry e, byte[] bytes) throws IOException {
            boolean thisIntact;
            boolean known = true;
            boolean signed = e.isCheckpoint() && e.sig() != null && signatureValid(e);
            if (signed) {
                thisIntact = true;
            } else {
                Lines.Raw after = lines.peek();
                Entry next = null;
                if (after != null && after.terminated && !after.tooLong) {
                    try {
                        next = AuditFormat.parse(after.bytes);
                    } catch (MalformedLine m) {
                        next = null;
                    }
                }
                if (next != null) {
                    thisIntact = next.prev().equals(AuditFormat.sha256Hex(bytes));
                } else {
                    thisIntact = !e.isCheckpoint(); // a last checkpoint whose signature fails was altered itself
                    known = e.isCheckpoint();
                }
            }
            if (!known) {
                return broken(Problem.EDITED, lineNo - 1, "line " + (lineNo - 1) + " or line " + lineNo
                        + " was altered: line " + lineNo + " does not record line " + (lineNo - 1) + "'s hash");
            }
            if (thisIntact) {
                return broken(Problem.EDITED, lineNo - 1, "altered: its hash is not the one line " + lineNo
                        + " records");
            }
            return broken(Problem.EDITED, lineNo, "altered: the previous-entry hash it records is not line "
                    + (lineNo - 1) + "'s" + (e.isCheckpoint() ? ", and its signature does not verify" : ""));
        }

        private boolean signatureValid(Entry e) {
            byte[] signed = AuditFormat.signedBytes(AuditFormat.bodyOf(e));
            return ed25519.verify(key, signed, 0, signed.length, AuditFormat.hexBytes(e.sig()));
        }

        /** Reads the rest of the input for a line with sequence {@code seq}. */
        private boolean appearsLater(long seq) throws IOException {
            for (Lines.Raw raw = lines.next(); raw != null; raw = lines.next()) {
                if (raw.terminated && !raw.tooLong) {
                    try {
                        if (AuditFormat.parse(raw.bytes).seq() == seq) {
                            return true;
                        }
                    } catch (MalformedLine m) {
                        // not a line that can be placed; keep looking
                    }
                }
            }
            return false;
        }

        private Result broken(Problem problem, long line, String detail) {
            return result(Status.BROKEN, problem, line, detail);
        }

        private Result result(Status status, Problem problem, long line, String detail) {
            long good = status == Status.BROKEN ? Math.max(0, Math.min(line, lineNo) - 1) : lineNo;
            return new Result(status, problem, line, detail, good, checkpoints,
                    status == Status.BROKEN ? 0 : lineNo - lastCheckpointLine, agent,
                    key == null ? null : AuditFormat.hex(key), prevSeq, prevHash);
        }
    }

    /** Lines of the input, split at {@code \n}, with one line of look-ahead. */
    static final class Lines {
        record Raw(byte[] bytes, boolean terminated, boolean tooLong) {
        }

        private final InputStream in;
        private final byte[] chunk = new byte[1 << 16];
        private int at;
        private int end;
        private boolean eof;
        private Raw peeked;
        private byte[] line = new byte[256];

        Lines(InputStream in) {
            this.in = in;
        }

        Raw peek() throws IOException {
            if (peeked == null) {
                peeked = read();
            }
            return peeked;
        }

        Raw next() throws IOException {
            if (peeked != null) {
                Raw r = peeked;
                peeked = null;
                return r;
            }
            return read();
        }

        private Raw read() throws IOException {
            int n = 0;
            boolean tooLong = false;
            while (true) {
                if (at == end) {
                    if (eof || !fill()) {
                        return n == 0 && !tooLong ? null : new Raw(Arrays.copyOf(line, n), false, tooLong);
                    }
                }
                int nl = at;
                while (nl < end && chunk[nl] != '\n') {
                    nl++;
                }
                int len = nl - at;
                if (tooLong || n + len > AuditFormat.MAX_LINE) {
                    tooLong = true;
                } else {
                    if (n + len > line.length) {
                        line = Arrays.copyOf(line, Math.max(n + len, Math.min(AuditFormat.MAX_LINE, line.length * 2)));
                    }
                    System.arraycopy(chunk, at, line, n, len);
                    n += len;
                }
                at = nl;
                if (nl < end) {
                    at++; // the newline
                    return new Raw(tooLong ? new byte[0] : Arrays.copyOf(line, n), true, tooLong);
                }
            }
        }

        private boolean fill() throws IOException {
            int r;
            do {
                r = in.read(chunk, 0, chunk.length);
            } while (r == 0);
            if (r < 0) {
                eof = true;
                at = end = 0;
                return false;
            }
            at = 0;
            end = r;
            return true;
        }
    }
}

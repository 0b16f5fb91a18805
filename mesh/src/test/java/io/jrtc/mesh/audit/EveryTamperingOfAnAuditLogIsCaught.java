package io.jrtc.mesh.audit;

import static io.jrtc.mesh.audit.AuditFiles.bytes;
import static io.jrtc.mesh.audit.AuditFiles.lines;
import static io.jrtc.mesh.audit.AuditFiles.text;
import static io.jrtc.mesh.audit.AuditFiles.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.Identity;
import io.jrtc.mesh.audit.AuditVerifier.Expected;
import io.jrtc.mesh.audit.AuditVerifier.Problem;
import io.jrtc.mesh.audit.AuditVerifier.Result;
import io.jrtc.mesh.audit.AuditVerifier.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log written by {@link AuditLog} verifies; each way of tampering with its bytes is caught at the right line, for
 * the right reason. The log (see {@link AuditFiles#write}) has 15 lines: 1 start, 2 checkpoint, 3-6 entries i=0..3,
 * 7 checkpoint, 8-11 entries i=4..7, 12 checkpoint, 13-14 entries i=8..9, 15 checkpoint. Line n has sequence n-1.
 */
class EveryTamperingOfAnAuditLogIsCaught {

    static final Identity AGENT = Identity.generate();
    static final Identity OTHER = Identity.generate();

    @TempDir
    static Path dir;
    static Path good;
    static List<byte[]> lines;

    @BeforeAll
    static void writeTheLog() throws IOException {
        good = AuditFiles.write(dir.resolve("good.log"), AGENT, 10, 4);
        lines = lines(good);
    }

    @Test
    void theUntouchedLogVerifies() throws IOException {
        assertThat(lines).hasSize(15);
        for (int n : new int[] {2, 7, 12, 15}) {
            assertThat(text(lines.get(n - 1))).contains("\"kind\":\"audit.checkpoint\"", "\"sig\":\"");
        }
        assertThat(text(lines.get(0))).startsWith("{\"seq\":0,\"time\":\"2026-12-05T04:00:00Z\",\"kind\":\"audit.start\","
                + "\"fields\":{\"format\":\"jrtc-audit/1\",\"agent\":\"" + AGENT.agentId() + "\",\"public_key\":\""
                + HexFormat.of().formatHex(AGENT.publicKey()) + "\"},\"prev\":\"" + "0".repeat(64) + "\"}");
        assertThat(text(lines.get(8))).isEqualTo("{\"seq\":8,\"time\":\"2026-12-05T04:00:01.500Z\",\"kind\":\"test.event\","
                + "\"fields\":{\"i\":\"5\",\"peer\":\"agent-5\"},\"prev\":\"" + sha256(lines.get(7)) + "\"}");

        Result r = AuditVerifier.verify(good, Expected.key(AGENT.publicKey()));
        assertThat(r.status()).as(r.describe()).isEqualTo(Status.OK);
        assertThat(r.lines()).isEqualTo(15);
        assertThat(r.checkpoints()).isEqualTo(4);
        assertThat(r.unsignedTail()).isZero();
        assertThat(r.agent()).isEqualTo(AGENT.agentId());
        assertThat(r.describe()).isEqualTo("OK: 15 entries, 4 signed checkpoints, agent " + AGENT.agentId());
        assertThat(AuditVerifier.verify(good, Expected.agent(AGENT.agentId())).ok()).isTrue();
        assertThat(AuditVerifier.verify(good).ok()).isTrue();
    }

    @Test
    void oneCharacterEditedInAMiddleEntry() throws IOException {
        Result r = verify(replace(lines, 9, "agent-5", "agent-6"));
        assertBroken(r, 9, Problem.EDITED, "its hash is not the one line 10 records");
    }

    @Test
    void oneCharacterEditedInTheEntryBeforeACheckpoint() throws IOException {
        // line 12 is a checkpoint: its valid signature shows that line 12 is intact, so line 11 was altered
        assertBroken(verify(replace(lines, 11, "\"i\":\"7\"", "\"i\":\"8\"")), 11, Problem.EDITED, "line 12 records");
    }

    @Test
    void oneCharacterEditedInATime() throws IOException {
        assertBroken(verify(replace(lines, 4, "04:00:00.500Z", "04:00:09.500Z")), 4, Problem.EDITED, "line 5 records");
    }

    @Test
    void theRecordedPreviousHashEdited() throws IOException {
        String prev = sha256(lines.get(8));
        String forged = (prev.charAt(0) == 'a' ? "b" : "a") + prev.substring(1);
        assertBroken(verify(replace(lines, 10, prev, forged)), 10, Problem.EDITED,
                "the previous-entry hash it records is not line 9's");
    }

    @Test
    void aSequenceNumberEdited() throws IOException {
        assertBroken(verify(replace(lines, 9, "\"seq\":8,", "\"seq\":9,")), 9, Problem.EDITED,
                "sequence 9 where 8 was due, though the chain is intact");
    }

    @Test
    void anEntryDeleted() throws IOException {
        List<byte[]> l = new ArrayList<>(lines);
        l.remove(8); // line 9, sequence 8
        assertBroken(verify(l), 9, Problem.DELETED, "entry 8 is missing before this line");
    }

    @Test
    void twoEntriesDeleted() throws IOException {
        List<byte[]> l = new ArrayList<>(lines);
        l.remove(8);
        l.remove(7);
        assertBroken(verify(l), 8, Problem.DELETED, "entries 7..8 are missing before this line");
    }

    @Test
    void theStartEntryDeleted() throws IOException {
        assertBroken(verify(lines.subList(1, lines.size())), 1, Problem.DELETED, "starts at sequence 1");
    }

    @Test
    void twoEntriesSwapped() throws IOException {
        List<byte[]> l = new ArrayList<>(lines);
        l.set(8, lines.get(9));
        l.set(9, lines.get(8));
        assertBroken(verify(l), 9, Problem.REORDERED, "sequence 9 where 8 was due, and 8 comes later");
    }

    @Test
    void anEntryRepeated() throws IOException {
        List<byte[]> l = new ArrayList<>(lines);
        l.add(9, lines.get(7));
        assertBroken(verify(l), 10, Problem.REORDERED, "sequence 7 after 8");
    }

    @Test
    void aCheckpointSignatureAltered() throws IOException {
        String line = text(lines.get(6));
        int at = line.indexOf("\"sig\":\"") + 7 + 40;
        char c = line.charAt(at);
        String altered = line.substring(0, at) + (c == '0' ? '1' : '0') + line.substring(at + 1);
        List<byte[]> l = new ArrayList<>(lines);
        l.set(6, bytes(altered));
        assertBroken(verify(l), 7, Problem.BAD_SIGNATURE, "does not verify with key");
    }

    @Test
    void anAppendedForgedEntryIsAnUnsignedTail() throws IOException {
        List<byte[]> l = new ArrayList<>(lines);
        l.add(bytes("{\"seq\":15,\"time\":\"2026-12-05T05:00:00Z\",\"kind\":\"link.fallback\",\"fields\":{\"peer\":\"x\"},"
                + "\"prev\":\"" + sha256(lines.get(14)) + "\"}"));
        Result r = verify(l);
        assertThat(r.status()).as(r.describe()).isEqualTo(Status.UNSIGNED_TAIL);
        assertThat(r.problem()).isEqualTo(Problem.UNSIGNED_TAIL);
        assertThat(r.line()).isEqualTo(16);
        assertThat(r.unsignedTail()).isEqualTo(1);
        assertThat(r.detail()).contains("1 line is chained but not signed, after the last checkpoint (line 15)",
                "appended by anyone");
    }

    @Test
    void anAppendedEntryWithACheckpointSignedByAnotherKey() throws IOException {
        List<byte[]> l = new ArrayList<>(lines);
        byte[] forged = bytes("{\"seq\":15,\"time\":\"2026-12-05T05:00:00Z\",\"kind\":\"link.fallback\",\"fields\":{},"
                + "\"prev\":\"" + sha256(lines.get(14)) + "\"}");
        l.add(forged);
        String body = "{\"seq\":16,\"time\":\"2026-12-05T05:00:00Z\",\"kind\":\"audit.checkpoint\","
                + "\"fields\":{\"reason\":\"close\"},\"prev\":\"" + sha256(forged) + "\"}";
        byte[] signed = concat("jrtc-audit/1 checkpoint\0".getBytes(StandardCharsets.US_ASCII), bytes(body));
        String sig = HexFormat.of().formatHex(OTHER.sign(signed, 0, signed.length));
        l.add(bytes(body.substring(0, body.length() - 1) + ",\"sig\":\"" + sig + "\"}"));
        assertBroken(verify(l), 17, Problem.BAD_SIGNATURE, "does not verify");
    }

    @Test
    void aLogOfAnotherKey() throws IOException {
        Result r = AuditVerifier.verify(good, Expected.key(OTHER.publicKey()));
        assertBroken(r, 1, Problem.WRONG_KEY, "is not the expected key " + HexFormat.of().formatHex(OTHER.publicKey()));
        assertBroken(AuditVerifier.verify(good, Expected.agent(OTHER.agentId())), 1, Problem.WRONG_KEY,
                "belongs to agent " + AGENT.agentId() + ", not to " + OTHER.agentId());
    }

    @Test
    void theStartEntrysKeySwappedForAnother() throws IOException {
        String mine = HexFormat.of().formatHex(AGENT.publicKey());
        String theirs = HexFormat.of().formatHex(OTHER.publicKey());
        assertBroken(verify(replace(lines, 1, mine, theirs)), 1, Problem.EDITED, "is not the id of public_key");
        List<byte[]> both = replace(replace(lines, 1, mine, theirs), 1, AGENT.agentId().toString(),
                OTHER.agentId().toString());
        // the forger's key and id agree, but the chain to line 2 breaks (and line 2's signature is not theirs)
        assertBroken(AuditVerifier.verify(writeLines(Files.createTempFile(dir, "swapped", ".log"), both)), 1,
                Problem.EDITED, "its hash is not the one line 2 records");
        assertBroken(verify(both), 1, Problem.WRONG_KEY, "belongs to agent " + OTHER.agentId());
    }

    @Test
    void aLastLineCutShort() throws IOException {
        byte[] all = Files.readAllBytes(good);
        Path f = dir.resolve("cut.log");
        Files.write(f, Arrays.copyOf(all, all.length - 30));
        assertBroken(AuditVerifier.verify(f), 15, Problem.MALFORMED, "cut short");
    }

    @Test
    void whiteSpaceAddedIsNotCanonical() throws IOException {
        assertBroken(verify(replace(lines, 5, "\"kind\":", "\"kind\": ")), 5, Problem.MALFORMED, "canonical");
        assertBroken(verify(replace(lines, 5, "\"i\":\"2\"", "\"i\":\"\\u0032\"")), 5, Problem.MALFORMED, "canonical");
        assertBroken(verify(replace(lines, 5, "{\"seq\"", "[{\"seq\"")), 5, Problem.MALFORMED, "expected an object");
    }

    @Test
    void theClosingCheckpointRemovedLeavesAnUnsignedTail() throws IOException {
        Result r = verify(lines.subList(0, 14));
        assertThat(r.status()).isEqualTo(Status.UNSIGNED_TAIL);
        assertThat(r.line()).isEqualTo(13);
        assertThat(r.unsignedTail()).isEqualTo(2);
    }

    @Test
    void truncationAtACheckpointCannotBeDetected() throws IOException {
        // the limit the README states: lines 13-15 removed leave a log that ends at a valid checkpoint
        Result r = verify(lines.subList(0, 12));
        assertThat(r.status()).as(r.describe()).isEqualTo(Status.OK);
        assertThat(r.lines()).isEqualTo(12);
    }

    @Test
    void anOverlongLine() throws IOException {
        List<byte[]> l = new ArrayList<>(lines);
        l.add(4, bytes("x".repeat(AuditFormat.MAX_LINE + 1)));
        assertBroken(verify(l), 5, Problem.MALFORMED, "longer than 1048576 bytes");
    }

    @Test
    void anEmptyFile() throws IOException {
        assertBroken(verify(List.of()), 1, Problem.MALFORMED, "empty");
    }

    private static void assertBroken(Result r, long line, Problem problem, String detail) {
        assertThat(r.status()).as(r.describe()).isEqualTo(Status.BROKEN);
        assertThat(r.problem()).as(r.describe()).isEqualTo(problem);
        assertThat(r.line()).as(r.describe()).isEqualTo(line);
        assertThat(r.detail()).contains(detail);
        assertThat(r.describe()).isEqualTo("BROKEN: line " + line + ": " + problem + ": " + r.detail());
    }

    private static Result verify(List<byte[]> l) throws IOException {
        return AuditVerifier.verify(writeLines(Files.createTempFile(dir, "tampered", ".log"), l),
                Expected.agent(AGENT.agentId()));
    }

    /** A copy of the lines with the first {@code from} in line {@code n} (1-based) replaced. */
    private static List<byte[]> replace(List<byte[]> l, int n, String from, String to) {
        String line = text(l.get(n - 1));
        assertThat(line).contains(from);
        List<byte[]> copy = new ArrayList<>(l);
        int at = line.indexOf(from);
        copy.set(n - 1, bytes(line.substring(0, at) + to + line.substring(at + from.length())));
        return copy;
    }

    static String sha256(byte[] line) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(line));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

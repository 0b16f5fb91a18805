package io.jrtc.mesh.audit;

import static io.jrtc.mesh.audit.AuditFiles.lines;
import static io.jrtc.mesh.audit.AuditFiles.text;
import static io.jrtc.mesh.audit.AuditFiles.writeLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.mesh.Identity;
import io.jrtc.mesh.audit.AuditFiles.SteppingClock;
import io.jrtc.mesh.audit.AuditVerifier.Expected;
import io.jrtc.mesh.audit.AuditVerifier.Result;
import io.jrtc.mesh.audit.AuditVerifier.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a log that exists continues its chain after checking it; a log that does not verify, or was written with
 * another key, or is open already, is refused with the reason. Checkpoints follow the entry count, the interval and
 * close.
 */
class AnAuditLogContinuesItsChainOrRefusesToOpen {

    static final Identity AGENT = Identity.generate();

    @TempDir
    Path dir;

    @Test
    void reopeningContinuesTheChainAndSaysHowMuchWasUnsigned() throws IOException {
        Path f = AuditFiles.write(dir.resolve("a.log"), AGENT, 10, 4);
        // a crash after two more entries: they were written but no checkpoint followed
        List<byte[]> l = new ArrayList<>(lines(f));
        SteppingClock clock = new SteppingClock();
        try (AuditLog log = AuditLog.open(f, AGENT, new AuditLog.Options(100, Duration.ofHours(1)), clock)) {
            assertThat(log.entries()).isEqualTo(17); // 15, resume, checkpoint
            log.record("test.event", Map.of("i", "10"));
            log.record("test.event", Map.of("i", "11"));
            assertThat(log.unsignedEntries()).isEqualTo(2);
            l = lines(f);
        }
        // drop the closing checkpoint, as a crash would have, and continue again
        writeLines(f, l);
        assertThat(AuditVerifier.verify(f).status()).isEqualTo(Status.UNSIGNED_TAIL);
        try (AuditLog log = AuditLog.open(f, AGENT, AuditLog.Options.DEFAULTS, clock)) {
            log.record("test.event", Map.of("i", "12"));
        }
        List<byte[]> all = lines(f);
        assertThat(text(all.get(15))).contains("\"seq\":15,", "\"kind\":\"audit.resume\",\"fields\":{\"unsigned_tail\":\"0\"}");
        assertThat(text(all.get(16))).contains("\"seq\":16,", "\"kind\":\"audit.checkpoint\",\"fields\":{\"reason\":\"open\"}");
        assertThat(text(all.get(19))).contains("\"seq\":19,", "\"kind\":\"audit.resume\",\"fields\":{\"unsigned_tail\":\"2\"}");
        assertThat(text(all.get(20))).contains("\"reason\":\"open\"");
        assertThat(text(all.get(21))).contains("\"seq\":21,", "\"i\":\"12\"");
        assertThat(text(all.get(22))).contains("\"seq\":22,", "\"reason\":\"close\"");
        assertThat(all).hasSize(23);
        Result r = AuditVerifier.verify(f, Expected.key(AGENT.publicKey()));
        assertThat(r.status()).as(r.describe()).isEqualTo(Status.OK);
        assertThat(r.checkpoints()).isEqualTo(7);
    }

    @Test
    void aBrokenLogIsNotContinued() throws IOException {
        Path f = AuditFiles.write(dir.resolve("b.log"), AGENT, 10, 4);
        List<byte[]> l = new ArrayList<>(lines(f));
        l.remove(4);
        writeLines(f, l);
        byte[] before = Files.readAllBytes(f);
        assertThatThrownBy(() -> AuditLog.open(f, AGENT))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("refusing to continue an audit log that does not verify")
                .hasMessageContaining("BROKEN: line 5: DELETED: entry 4 is missing before this line");
        assertThat(Files.readAllBytes(f)).isEqualTo(before);
        // and the lock was released: once repaired (here: put back), it opens
        writeLines(f, lines(AuditFiles.write(dir.resolve("c.log"), AGENT, 1, 4)));
        AuditLog.open(f, AGENT).close();
    }

    @Test
    void aLogOfAnotherKeyIsNotContinued() throws IOException {
        Path f = AuditFiles.write(dir.resolve("d.log"), AGENT, 3, 4);
        assertThatThrownBy(() -> AuditLog.open(f, Identity.generate()))
                .isInstanceOf(IOException.class).hasMessageContaining("WRONG_KEY");
    }

    @Test
    void aLogOpenAlreadyIsNotOpenedTwice() throws IOException {
        Path f = dir.resolve("e.log");
        try (AuditLog log = AuditLog.open(f, AGENT)) {
            assertThatThrownBy(() -> AuditLog.open(f, AGENT))
                    .isInstanceOf(IOException.class).hasMessageContaining("already open by another audit log");
            log.record("test.event", Map.of());
        }
        assertThat(AuditVerifier.verify(f).ok()).isTrue();
    }

    @Test
    void checkpointsFollowTheCountTheIntervalAndClose() throws IOException {
        Path f = dir.resolve("f.log");
        SteppingClock clock = new SteppingClock();
        AuditLog log = AuditLog.open(f, AGENT, new AuditLog.Options(3, Duration.ofSeconds(10)), clock);
        assertThat(log.checkpoints()).isEqualTo(1); // after the start entry
        log.record("a", Map.of());
        log.record("b", Map.of());
        assertThat(log.checkpoints()).isEqualTo(1);
        log.record("c", Map.of());
        assertThat(log.checkpoints()).as("every 3 entries").isEqualTo(2);
        log.record("d", Map.of());
        clock.advance(Duration.ofSeconds(9));
        log.checkpointIfDue();
        assertThat(log.checkpoints()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(1));
        log.checkpointIfDue();
        assertThat(log.checkpoints()).as("10 s after the last one, with an unsigned entry").isEqualTo(3);
        clock.advance(Duration.ofSeconds(30));
        log.checkpointIfDue();
        assertThat(log.checkpoints()).as("nothing unsigned: no checkpoint").isEqualTo(3);
        log.record("e", Map.of());
        assertThat(log.checkpoints()).as("an entry recorded when the interval has passed").isEqualTo(4);
        log.record("f", Map.of());
        log.close();
        log.close();
        assertThat(log.checkpoints()).isEqualTo(5);
        List<String> kinds = lines(f).stream().map(AuditFiles::text)
                .map(s -> s.replaceAll(".*\"kind\":\"([^\"]*)\".*?\"reason\":\"([^\"]*)\".*", "$1 $2")
                        .replaceAll(".*\"kind\":\"([^\"]*)\",.*", "$1")).toList();
        assertThat(kinds).containsExactly("audit.start", "audit.checkpoint open", "a", "b", "c",
                "audit.checkpoint entries", "d", "audit.checkpoint interval", "e", "audit.checkpoint interval", "f",
                "audit.checkpoint close");
        assertThat(AuditVerifier.verify(f).ok()).isTrue();
        log.record("after.close", Map.of());
        assertThat(log.lostEntries()).isEqualTo(1);
        assertThat(lines(f)).hasSize(12);
    }

    @Test
    void reservedKindsNullsAndAwkwardTextAreRecordedFaithfully() throws Exception {
        Path f = dir.resolve("g.log");
        String awkward = "quote \" backslash \\ newline \n tab \t nul \u0000 del \u007f é 日本 😀 lone \ud800 end";
        java.util.LinkedHashMap<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put("z", awkward);
        fields.put("a", null);
        fields.put(null, "v");
        try (AuditLog log = AuditLog.open(f, AGENT)) {
            log.record("audit.checkpoint", Map.of("x", "1"));
            log.record(null, null);
            log.record("link.mode", fields);
            log.record("too.big", Map.of("blob", "y".repeat(AuditFormat.MAX_LINE)));
        }
        List<byte[]> l = lines(f);
        assertThat(text(l.get(2))).contains("\"kind\":\"audit.reserved_kind\",\"fields\":{\"requested_kind\":"
                + "\"audit.checkpoint\",\"x\":\"1\"}");
        assertThat(text(l.get(3))).contains("\"kind\":\"null\",\"fields\":{}");
        assertThat(text(l.get(4))).contains("\"fields\":{\"z\":\"quote \\\" backslash \\\\ newline \\n tab \\t nul "
                + "\\u0000 del \\u007f é 日本 😀 lone \ufffd end\",\"a\":\"null\",\"null\":\"v\"}");
        AuditFormat.Entry big = AuditFormat.parse(l.get(5));
        assertThat(big.kind()).isEqualTo("audit.oversized");
        assertThat(big.fields()).containsEntry("requested_kind", "too.big");
        assertThat(Integer.parseInt(big.fields().get("bytes"))).isBetween(AuditFormat.MAX_LINE + 1, AuditFormat.MAX_LINE + 300);
        AuditFormat.Entry e = AuditFormat.parse(l.get(4));
        assertThat(e.fields().get("z")).isEqualTo(awkward.replace('\ud800', '\ufffd'));
        Result r = AuditVerifier.verify(f);
        assertThat(r.status()).as(r.describe()).isEqualTo(Status.OK);
        assertThat(r.checkpoints()).isEqualTo(2);
    }
}

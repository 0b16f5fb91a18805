package io.jrtc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.Identity;
import io.jrtc.mesh.audit.AuditLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jrtc audit verify}: a log written by an agent verifies (exit 0, with its counts); the same log edited by hand,
 * with a line deleted, or checked against another agent's key fails (exit 1, the line and the reason); an unsigned tail
 * fails unless allowed; usage errors exit 2.
 */
class AuditVerifyCatchesAHandEditedLog {

    @TempDir
    static Path dir;
    static Identity agent;
    static Path keyFile;
    static Path good;
    static List<String> lines;

    @BeforeAll
    static void anAgentsLog() throws IOException {
        keyFile = dir.resolve("agent.key");
        agent = Identity.loadOrCreate(keyFile);
        good = dir.resolve("agent-audit.log");
        try (AuditLog log = AuditLog.open(good, agent, new AuditLog.Options(4, Duration.ofMinutes(1)),
                Clock.systemUTC())) {
            for (int i = 0; i < 6; i++) {
                log.record("link.up", Map.of("peer", "peer-" + i, "mode", "HIGH"));
            }
        }
        // 1 start, 2 checkpoint, 3-6 link.up, 7 checkpoint, 8-9 link.up, 10 checkpoint
        lines = Files.readAllLines(good, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(10);
    }

    @Test
    void anUntouchedLogVerifies() {
        Run r = Run.of("audit", "verify", good.toString());
        assertThat(r.code()).as("%s", r).isZero();
        assertThat(r.out()).contains(good + ": OK: 10 entries, 3 signed checkpoints, agent " + agent.agentId(),
                "key " + HexFormat.of().formatHex(agent.publicKey()));
        assertThat(Run.of("audit", "verify", good.toString(), "--key", keyFile.toString()).code()).isZero();
        assertThat(Run.of("audit", "verify", good.toString(), "--agent", agent.agentId().toString()).code()).isZero();
    }

    @Test
    void aLogEditedByHandFails() throws IOException {
        List<String> edited = new ArrayList<>(lines);
        assertThat(edited.get(4)).contains("\"mode\":\"HIGH\"");
        edited.set(4, edited.get(4).replace("\"mode\":\"HIGH\"", "\"mode\":\"HIGM\""));
        Path f = write("edited.log", edited);
        Run r = Run.of("audit", "verify", f.toString());
        assertThat(r.code()).as("%s", r).isEqualTo(1);
        assertThat(r.out()).contains(f + ": BROKEN: line 5: EDITED: altered: its hash is not the one line 6 records");
    }

    @Test
    void aLogWithALineDeletedFails() throws IOException {
        List<String> cut = new ArrayList<>(lines);
        cut.remove(3);
        Run r = Run.of("audit", "verify", write("deleted.log", cut).toString(), "--key", keyFile.toString());
        assertThat(r.code()).as("%s", r).isEqualTo(1);
        assertThat(r.out()).contains("BROKEN: line 4: DELETED: entry 3 is missing before this line");
    }

    @Test
    void anotherAgentsKeyFails() throws IOException {
        Path otherKey = dir.resolve("other.key");
        Identity other = Identity.loadOrCreate(otherKey);
        Run r = Run.of("audit", "verify", good.toString(), "--key", otherKey.toString());
        assertThat(r.code()).as("%s", r).isEqualTo(1);
        assertThat(r.out()).contains("BROKEN: line 1: WRONG_KEY: the log's key");
        Path hex = Files.writeString(dir.resolve("other.hex"), HexFormat.of().formatHex(other.publicKey()) + "\n");
        assertThat(Run.of("audit", "verify", good.toString(), "--key", hex.toString()).code()).isEqualTo(1);
        Run byId = Run.of("audit", "verify", good.toString(), "--agent", other.agentId().toString());
        assertThat(byId.code()).isEqualTo(1);
        assertThat(byId.out()).contains("WRONG_KEY: the log belongs to agent " + agent.agentId() + ", not to "
                + other.agentId());
    }

    @Test
    void anUnsignedTailFailsUnlessAllowed() throws IOException {
        Path f = write("crashed.log", lines.subList(0, 9));
        Run r = Run.of("audit", "verify", f.toString());
        assertThat(r.code()).as("%s", r).isEqualTo(1);
        assertThat(r.out()).contains("UNSIGNED TAIL: line 8: 2 lines are chained but not signed");
        Run allowed = Run.of("audit", "verify", f.toString(), "--allow-unsigned-tail");
        assertThat(allowed.code()).as("%s", allowed).isZero();
        assertThat(allowed.out()).contains("UNSIGNED TAIL: line 8");
    }

    @Test
    void usageErrorsExitTwo() throws IOException {
        Path notAKey = Files.writeString(dir.resolve("not-a-key"), "hello\n");
        for (String[] args : List.of(
                new String[] {"audit"},
                new String[] {"audit", "verify"},
                new String[] {"audit", "verify", dir.resolve("missing.log").toString()},
                new String[] {"audit", "verify", good.toString(), "--key", keyFile.toString(), "--agent",
                        agent.agentId().toString()},
                new String[] {"audit", "verify", good.toString(), "--agent", "xyz"},
                new String[] {"audit", "verify", good.toString(), "--key", dir.resolve("missing.key").toString()},
                new String[] {"audit", "verify", good.toString(), "--key", notAKey.toString()})) {
            Run r = Run.of(args);
            assertThat(r.code()).as("%s: %s", String.join(" ", args), r).isEqualTo(2);
            assertThat(r.err()).contains("Usage: jrtc audit");
        }
        Run help = Run.of("audit", "verify", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: jrtc audit verify", "--key", "--agent", "--allow-unsigned-tail");
    }

    private static Path write(String name, List<String> l) throws IOException {
        return Files.write(dir.resolve(name), l, StandardCharsets.UTF_8);
    }
}

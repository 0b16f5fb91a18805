package io.jrtc.cli.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.Identity;
import io.jrtc.mesh.audit.AuditLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "an audit log edited by hand fails verify", as a user does it: an agent's log verifies with
 * {@code ./jrtc audit verify} (exit 0); after one word in it is changed with a text editor's search and replace, the
 * same command names the line and exits 1. Runs the packaged jar (integration-test phase).
 */
class AuditLogEditedByHandFailsVerify {

    private static final Map<String, String> NO_BUILD = Map.of("JRTC_NO_BUILD", "1");
    private static final Duration T = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void anEditedLogFailsAndTheUntouchedOneVerifies() throws Exception {
        assertThat(Launcher.JAR).as("the shaded jar, built in the package phase").exists();
        Path key = dir.resolve("agent.key");
        Identity agent = Identity.loadOrCreate(key);
        Path log = dir.resolve("audit.log");
        try (AuditLog audit = AuditLog.open(log, agent)) {
            audit.record("link.fallback", Map.of("peer", "b", "reason", "direct path not up in 5 s"));
            audit.record("envelope.bad_signature", Map.of("origin", "c"));
            audit.record("link.mode", Map.of("peer", "b", "mode", "LOW"));
        }
        Launcher.Result ok = Launcher.run(Launcher.SCRIPT, NO_BUILD, T, "audit", "verify", log.toString(), "--key",
                key.toString());
        assertThat(ok.code()).as("%s", ok).isZero();
        assertThat(ok.out()).contains(log + ": OK: 6 entries, 2 signed checkpoints, agent " + agent.agentId());

        String text = Files.readString(log, StandardCharsets.UTF_8);
        Path edited = Files.writeString(dir.resolve("edited.log"), text.replace("envelope.bad_signature", "link.up"),
                StandardCharsets.UTF_8);
        Launcher.Result bad = Launcher.run(Launcher.SCRIPT, NO_BUILD, T, "audit", "verify", edited.toString(), "--key",
                key.toString());
        assertThat(bad.code()).as("%s", bad).isEqualTo(1);
        assertThat(bad.out()).contains(edited + ": BROKEN: line 4: EDITED: altered: its hash is not the one line 5 records");
    }
}

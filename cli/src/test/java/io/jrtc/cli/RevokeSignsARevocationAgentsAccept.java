package io.jrtc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.Ed25519Verifier;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.Revocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jrtc revoke}: the printed (and appended) line parses as a revocation of the agent's key, signed by the
 * operator key, with the reason; the agent key may be a key file or 64 hex digits; usage errors exit 2, an unreadable
 * operator key 1.
 */
class RevokeSignsARevocationAgentsAccept {

    @Test
    void printsAndAppendsARevocationSignedByTheOperator(@TempDir Path dir) throws Exception {
        Path opFile = dir.resolve("operator.key");
        Identity operator = Identity.loadOrCreate(opFile);
        Path agentFile = dir.resolve("alice.key");
        Identity alice = Identity.loadOrCreate(agentFile);
        Path out = dir.resolve("revoked.hex");

        Run r = Run.of("revoke", "--operator-key", opFile.toString(), "--agent-key", agentFile.toString(),
                "--reason", "laptop stolen", "--out", out.toString());
        assertThat(r.code()).as("%s", r).isZero();
        String line = r.out().strip();
        assertThat(Files.readAllLines(out)).containsExactly(line);
        Revocation rev = Revocation.parse(HexFormat.of().parseHex(line));
        assertThat(rev.revoked()).isEqualTo(alice.agentId());
        assertThat(rev.reason()).isEqualTo("laptop stolen");
        assertThat(rev.verify(List.of(operator.publicKey()), new Ed25519Verifier())).isTrue();
        assertThat(rev.verify(List.of(alice.publicKey()), new Ed25519Verifier())).isFalse();
        assertThat(r.err()).contains("revoked agent " + alice.agentId());

        Run hex = Run.of("revoke", "--operator-key", opFile.toString(), "--agent-key",
                HexFormat.of().formatHex(alice.publicKey()), "--out", out.toString());
        assertThat(hex.code()).as("%s", hex).isZero();
        assertThat(Files.readAllLines(out)).hasSize(2);
        assertThat(Revocation.parse(HexFormat.of().parseHex(hex.out().strip())).revoked()).isEqualTo(alice.agentId());
    }

    @Test
    void usageErrorsExit2AndAnUnreadableOperatorKey1(@TempDir Path dir) throws Exception {
        Path opFile = dir.resolve("operator.key");
        Identity.loadOrCreate(opFile);
        assertThat(Run.of("revoke", "--operator-key", opFile.toString()).code()).isEqualTo(2);
        assertThat(Run.of("revoke", "--operator-key", opFile.toString(), "--agent-key", "abcd").code()).isEqualTo(2);
        assertThat(Run.of("revoke", "--operator-key", opFile.toString(), "--agent-key", "00".repeat(32), "--reason",
                "x".repeat(256)).code()).isEqualTo(2);
        Path broken = dir.resolve("broken.key");
        Files.writeString(broken, "not a key");
        assertThat(Run.of("revoke", "--operator-key", broken.toString(), "--agent-key", "00".repeat(32)).code())
                .isEqualTo(1);
    }
}

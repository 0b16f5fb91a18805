package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent's Ed25519 identity is written once and read back unchanged; its id is bound to its public key. */
class IdentityPersistsAcrossRestarts {

    @TempDir
    Path dir;

    @Test
    void secondStartLoadsTheSameKeyAndId() throws Exception {
        Path file = dir.resolve("agent.key");
        Identity first = Identity.loadOrCreate(file);
        String text = Files.readString(file);
        assertThat(text).contains("-----BEGIN PRIVATE KEY-----", "-----BEGIN PUBLIC KEY-----");
        Identity second = Identity.loadOrCreate(file);
        assertThat(second.agentId()).isEqualTo(first.agentId());
        assertThat(second.publicKey()).isEqualTo(first.publicKey());
        assertThat(Files.readString(file)).isEqualTo(text);

        byte[] msg = "signed before the restart".getBytes(StandardCharsets.UTF_8);
        byte[] sig = first.sign(msg, 0, msg.length);
        assertThat(new Ed25519Verifier().verify(second.publicKey(), msg, 0, msg.length, sig)).isTrue();
        msg[0] ^= 1;
        assertThat(new Ed25519Verifier().verify(second.publicKey(), msg, 0, msg.length, sig)).isFalse();
    }

    @Test
    void agentIdIsTheFirstSixteenBytesOfTheKeyHash() throws Exception {
        Identity id = Identity.generate();
        byte[] h = MessageDigest.getInstance("SHA-256").digest(id.publicKey());
        assertThat(id.agentId().toString()).isEqualTo(io.jrtc.common.Hex.encode(Arrays.copyOf(h, 16)));
        assertThat(AgentId.parse(id.agentId().toString())).isEqualTo(id.agentId());
    }

    @Test
    void mismatchedOrDamagedKeyFileIsRefused() throws Exception {
        Path a = dir.resolve("a.key");
        Path b = dir.resolve("b.key");
        Identity.loadOrCreate(a);
        Identity.loadOrCreate(b);
        String ta = Files.readString(a);
        String tb = Files.readString(b);
        Path mixed = dir.resolve("mixed.key");
        Files.writeString(mixed, ta.substring(0, ta.indexOf("-----BEGIN PUBLIC KEY")) + tb.substring(tb.indexOf("-----BEGIN PUBLIC KEY")));
        assertThatThrownBy(() -> Identity.load(mixed)).isInstanceOf(IOException.class).hasMessageContaining("does not belong");
        Path damaged = dir.resolve("damaged.key");
        Files.writeString(damaged, "-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> Identity.load(damaged)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> Identity.generate().store(a)).isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
    }
}

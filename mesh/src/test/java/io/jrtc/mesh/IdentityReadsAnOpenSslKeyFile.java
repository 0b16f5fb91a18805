package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The identity file is plain PEM (RFC 7468, RFC 8410): {@code openssl-ed25519.key} was made by OpenSSL 3.0
 * ({@code openssl genpkey -algorithm ed25519}, then {@code openssl pkey -pubout} appended), and the raw public key
 * below is what {@code openssl pkey -noout -text_pub} prints for it.
 */
class IdentityReadsAnOpenSslKeyFile {

    @TempDir
    Path dir;

    @Test
    void anOpenSslEd25519PairLoadsWithItsPublicKeyAndStoresAgainTheSame() throws Exception {
        Path file = dir.resolve("openssl.key");
        try (InputStream in = getClass().getResourceAsStream("openssl-ed25519.key")) {
            Files.copy(in, file);
        }
        Identity id = Identity.load(file);
        byte[] raw = HexFormat.of().parseHex("9114c53178c593e7460e0b2a1a7a7103ef1ab04d12c0b636b6feb0c85308cd6a");
        assertThat(id.publicKey()).isEqualTo(raw);
        assertThat(id.agentId()).isEqualTo(AgentId.ofPublicKey(raw));

        Path again = dir.resolve("again.key");
        id.store(again);
        assertThat(Files.readString(again)).isEqualTo(Files.readString(file).replace("\n", System.lineSeparator()));
        assertThat(Identity.load(again).agentId()).isEqualTo(id.agentId());
    }
}

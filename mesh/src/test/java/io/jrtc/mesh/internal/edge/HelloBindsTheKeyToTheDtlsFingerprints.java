package io.jrtc.mesh.internal.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.Ed25519Verifier;
import io.jrtc.mesh.Identity;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The HELLO layout (version 3), and each reason it is refused. */
class HelloBindsTheKeyToTheDtlsFingerprints {

    private final Identity alice = Identity.generate();
    private final byte[] fpA = filled(0xaa);
    private final byte[] fpB = filled(0xbb);
    private final Ed25519Verifier verifier = new Ed25519Verifier();

    @Test
    void layoutIsTypeVersionKeyFingerprintSignature() {
        byte[] h = Hello.encode(alice, fpA);
        assertThat(h).hasSize(130);
        assertThat(h[0]).isEqualTo((byte) 0x20);
        assertThat(h[1]).isEqualTo((byte) 3);
        assertThat(Arrays.copyOfRange(h, 2, 34)).isEqualTo(alice.publicKey());
        assertThat(Arrays.copyOfRange(h, 34, 66)).isEqualTo(fpA);
        // the signature covers the context string and bytes 0..65
        byte[] ctx = "jrtc-mesh/6 hello\0".getBytes(StandardCharsets.US_ASCII);
        byte[] signed = ByteBuffer.allocate(ctx.length + 66).put(ctx).put(h, 0, 66).array();
        assertThat(verifier.verify(alice.publicKey(), signed, 0, signed.length, Arrays.copyOfRange(h, 66, 130))).isTrue();
        // one HELLO per certificate: the same bytes whatever the link (Ed25519 is deterministic)
        assertThat(Hello.encode(alice, fpA)).isEqualTo(h);
    }

    @Test
    void theReceiverAcceptsOnlyTheRightKeyFingerprintAndSignature() {
        byte[] h = Hello.encode(alice, fpA);
        // the receiver sees A's certificate (fpA) as the one DTLS authenticated
        assertThat(Hello.verify(h, alice.agentId(), fpA, verifier)).isEqualTo(Hello.Verdict.OK);
        assertThat(Hello.verify(h, Identity.generate().agentId(), fpA, verifier)).isEqualTo(Hello.Verdict.KEY_MISMATCH);
        // replayed on a DTLS session with another certificate (one the replayer holds the key of), it binds nothing
        assertThat(Hello.verify(h, alice.agentId(), fpB, verifier)).isEqualTo(Hello.Verdict.FINGERPRINT_MISMATCH);
        assertThat(Hello.verify(h, alice.agentId(), null, verifier)).isEqualTo(Hello.Verdict.FINGERPRINT_MISMATCH);
        // a HELLO claiming another certificate under alice's key, without her signature, fails
        byte[] swapped = h.clone();
        System.arraycopy(fpB, 0, swapped, 34, 32);
        assertThat(Hello.verify(swapped, alice.agentId(), fpB, verifier)).isEqualTo(Hello.Verdict.BAD_SIGNATURE);
        byte[] tampered = h.clone();
        tampered[100] ^= 1;
        assertThat(Hello.verify(tampered, alice.agentId(), fpA, verifier)).isEqualTo(Hello.Verdict.BAD_SIGNATURE);
        assertThat(Hello.verify(Arrays.copyOf(h, 129), alice.agentId(), fpA, verifier))
                .isEqualTo(Hello.Verdict.MALFORMED);
        byte[] v2 = h.clone();
        v2[1] = 2;
        assertThat(Hello.verify(v2, alice.agentId(), fpA, verifier)).isEqualTo(Hello.Verdict.MALFORMED);
        // a version-2 HELLO (162 bytes: it also carried the receiver's fingerprint) is refused, not guessed at
        byte[] old = Arrays.copyOf(h, 162);
        old[1] = 2;
        assertThat(Hello.verify(old, alice.agentId(), fpA, verifier)).isEqualTo(Hello.Verdict.MALFORMED);
        assertThat(Hello.verify(new byte[0], alice.agentId(), fpA, verifier)).isEqualTo(Hello.Verdict.MALFORMED);
    }

    @Test
    void signalingIdsNameMeshAgentsByHexWithAnOptionalName() {
        String hex = alice.agentId().toString();
        assertThat(SignalingIds.agentOf(hex)).isEqualTo(alice.agentId());
        assertThat(SignalingIds.agentOf("bob." + hex)).isEqualTo(alice.agentId());
        assertThat(SignalingIds.agentOf("echo-1")).isNull();
        assertThat(SignalingIds.agentOf(hex.toUpperCase())).isNull();
        assertThat(SignalingIds.agentOf(hex.substring(1))).isNull();
        assertThat(SignalingIds.agentOf(null)).isNull();
    }

    @Test
    void theFingerprintComesFromTheDescriptionsSha256Attribute() {
        String fp = HexFormat.ofDelimiter(":").withUpperCase().formatHex(fpA);
        String sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
                + "a=fingerprint:sha-384 " + HexFormat.ofDelimiter(":").formatHex(new byte[48]) + "\r\n"
                + "a=fingerprint:sha-256 " + fp + "\r\n";
        assertThat(Negotiation.fingerprintOf(sdp)).isEqualTo(fpA);
        assertThat(Negotiation.fingerprintOf("v=0\r\n")).isNull();
    }

    private static byte[] filled(int b) {
        byte[] x = new byte[32];
        Arrays.fill(x, (byte) b);
        return x;
    }
}

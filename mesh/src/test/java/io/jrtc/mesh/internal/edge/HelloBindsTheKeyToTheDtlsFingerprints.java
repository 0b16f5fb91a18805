package io.jrtc.mesh.internal.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.Ed25519Verifier;
import io.jrtc.mesh.Identity;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The HELLO layout, and each reason it is refused. */
class HelloBindsTheKeyToTheDtlsFingerprints {

    private final Identity alice = Identity.generate();
    private final byte[] fpA = filled(0xaa);
    private final byte[] fpB = filled(0xbb);
    private final Ed25519Verifier verifier = new Ed25519Verifier();

    @Test
    void layoutIsTypeVersionKeyFingerprintsSignature() {
        byte[] h = Hello.encode(alice, fpA, fpB);
        assertThat(h).hasSize(162);
        assertThat(h[0]).isEqualTo((byte) 0x20);
        assertThat(h[1]).isEqualTo((byte) 2);
        assertThat(Arrays.copyOfRange(h, 2, 34)).isEqualTo(alice.publicKey());
        assertThat(Arrays.copyOfRange(h, 34, 66)).isEqualTo(fpA);
        assertThat(Arrays.copyOfRange(h, 66, 98)).isEqualTo(fpB);
        // the signature covers the context string and bytes 0..97
        byte[] ctx = "jrtc-mesh/2 hello\0".getBytes(StandardCharsets.US_ASCII);
        byte[] signed = ByteBuffer.allocate(ctx.length + 98).put(ctx).put(h, 0, 98).array();
        assertThat(verifier.verify(alice.publicKey(), signed, 0, signed.length, Arrays.copyOfRange(h, 98, 162))).isTrue();
    }

    @Test
    void theReceiverAcceptsOnlyTheRightKeyFingerprintsAndSignature() {
        byte[] h = Hello.encode(alice, fpA, fpB);
        // the receiver (B) sees A's fingerprint as remote and its own as fpB
        assertThat(Hello.verify(h, alice.agentId(), fpB, fpA, verifier)).isEqualTo(Hello.Verdict.OK);
        assertThat(Hello.verify(h, Identity.generate().agentId(), fpB, fpA, verifier))
                .isEqualTo(Hello.Verdict.KEY_MISMATCH);
        // a HELLO made for another DTLS session (other fingerprints) does not bind this one
        assertThat(Hello.verify(h, alice.agentId(), fpA, fpB, verifier)).isEqualTo(Hello.Verdict.FINGERPRINT_MISMATCH);
        assertThat(Hello.verify(h, alice.agentId(), fpB, filled(0xcc), verifier))
                .isEqualTo(Hello.Verdict.FINGERPRINT_MISMATCH);
        assertThat(Hello.verify(h, alice.agentId(), fpB, null, verifier)).isEqualTo(Hello.Verdict.FINGERPRINT_MISMATCH);
        byte[] tampered = h.clone();
        tampered[120] ^= 1;
        assertThat(Hello.verify(tampered, alice.agentId(), fpB, fpA, verifier)).isEqualTo(Hello.Verdict.BAD_SIGNATURE);
        assertThat(Hello.verify(Arrays.copyOf(h, 161), alice.agentId(), fpB, fpA, verifier))
                .isEqualTo(Hello.Verdict.MALFORMED);
        byte[] v3 = h.clone();
        v3[1] = 3;
        assertThat(Hello.verify(v3, alice.agentId(), fpB, fpA, verifier)).isEqualTo(Hello.Verdict.MALFORMED);
        assertThat(Hello.verify(new byte[0], alice.agentId(), fpB, fpA, verifier)).isEqualTo(Hello.Verdict.MALFORMED);
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

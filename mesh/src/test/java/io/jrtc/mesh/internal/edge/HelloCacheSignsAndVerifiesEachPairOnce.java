package io.jrtc.mesh.internal.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.Ed25519Verifier;
import io.jrtc.mesh.Identity;
import io.jrtc.mesh.MeshSigner;
import io.jrtc.mesh.MeshVerifier;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The edge's HELLO cache: one Ed25519 signature per certificate, byte for byte the HELLO an uncached encode makes; one
 * verification per exact frame that passed; everything a fresh check refuses is still refused (a frame that failed is
 * checked again, a known frame on a link with another certificate or another expected agent fails).
 */
class HelloCacheSignsAndVerifiesEachPairOnce {

    private final Identity alice = Identity.generate();
    private final AtomicInteger signs = new AtomicInteger();
    private final MeshSigner countingAlice = new MeshSigner() {
        @Override
        public AgentId agentId() {
            return alice.agentId();
        }

        @Override
        public byte[] publicKey() {
            return alice.publicKey();
        }

        @Override
        public byte[] sign(byte[] data, int off, int len) {
            signs.incrementAndGet();
            return alice.sign(data, off, len);
        }
    };
    private final AtomicInteger verifies = new AtomicInteger();
    private final Ed25519Verifier ed = new Ed25519Verifier();
    private final MeshVerifier counting = (k, d, off, len, sig) -> {
        verifies.incrementAndGet();
        return ed.verify(k, d, off, len, sig);
    };
    private final byte[] fpA = filled(0xaa);
    private final byte[] fpB = filled(0xbb);
    private final byte[] fpC = filled(0xcc);

    @Test
    void signsEachCertificateOnceAndGivesTheUncachedBytes() {
        HelloCache c = new HelloCache();
        byte[] first = c.encode(countingAlice, fpA);
        byte[] again = c.encode(countingAlice, fpA);
        assertThat(signs).hasValue(1);
        assertThat(again).isEqualTo(first).isEqualTo(Hello.encode(alice, fpA)).isNotSameAs(first);
        again[100] ^= 1; // a caller changing its copy does not change the cached HELLO
        assertThat(c.encode(countingAlice, fpA)).isEqualTo(first);
        assertThat(c.encode(countingAlice, fpC)).isEqualTo(Hello.encode(alice, fpC)); // own certificate renewed
        assertThat(signs).hasValue(2);
        assertThat(c.counts()).containsExactly(2, 0);
    }

    @Test
    void verifiesEachExactFrameOnceAndRefusesAsBefore() {
        HelloCache c = new HelloCache();
        byte[] h = Hello.encode(alice, fpA);
        // B receives it over a DTLS session whose remote certificate is fpA, then again on another link
        assertThat(c.verify(h, alice.agentId(), fpA, counting)).isEqualTo(Hello.Verdict.OK);
        assertThat(c.verify(h.clone(), alice.agentId(), fpA, counting)).isEqualTo(Hello.Verdict.OK);
        assertThat(verifies).hasValue(1);
        // the known frame still binds only its own certificate and its own key
        assertThat(c.verify(h, alice.agentId(), fpB, counting)).isEqualTo(Hello.Verdict.FINGERPRINT_MISMATCH);
        assertThat(c.verify(h, Identity.generate().agentId(), fpA, counting)).isEqualTo(Hello.Verdict.KEY_MISMATCH);
        // a forged signature fails, every time, and is verified every time
        byte[] forged = h.clone();
        forged[100] ^= 1;
        assertThat(c.verify(forged, alice.agentId(), fpA, counting)).isEqualTo(Hello.Verdict.BAD_SIGNATURE);
        assertThat(c.verify(forged, alice.agentId(), fpA, counting)).isEqualTo(Hello.Verdict.BAD_SIGNATURE);
        assertThat(verifies).hasValue(3);
        assertThat(c.counts()).containsExactly(0, 3);
    }

    @Test
    void keepsAtMostItsSizeLeastRecentlyUsedOut() {
        HelloCache c = new HelloCache();
        for (int i = 0; i <= HelloCache.SIZE; i++) {
            byte[] fp = filled(i & 0xff);
            fp[0] = (byte) (i >> 8);
            c.encode(countingAlice, fp);
        }
        assertThat(signs).hasValue(HelloCache.SIZE + 1);
        byte[] oldest = filled(0);
        c.encode(countingAlice, oldest); // the first certificate was pushed out: signed again
        assertThat(signs).hasValue(HelloCache.SIZE + 2);
    }

    private static byte[] filled(int v) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) v);
        return b;
    }
}

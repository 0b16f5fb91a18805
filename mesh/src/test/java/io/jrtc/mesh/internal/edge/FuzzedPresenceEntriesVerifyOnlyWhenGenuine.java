package io.jrtc.mesh.internal.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jrtc.mesh.Ed25519Verifier;
import io.jrtc.mesh.Identity;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Jazzer target for the signed presence entry a server hands out untouched: for any string, {@link SignedPresence#verify}
 * returns a verdict (never throws), and OK only for the genuine entry of the key, signaling id and time it was signed
 * for.
 */
class FuzzedPresenceEntriesVerifyOnlyWhenGenuine {

    private static final Identity ID = Identity.generate();
    private static final String SID = "fuzz." + ID.agentId();
    private static final long NOW = 1_764_930_000_000L;
    private static final String GENUINE = SignedPresence.encode(ID, SID, NOW);
    private static final Ed25519Verifier VERIFIER = new Ed25519Verifier();

    static SignedPresence.Verdict check(String blob) {
        SignedPresence.Verdict v = SignedPresence.verify(blob, ID.agentId(), SID, NOW, VERIFIER);
        if (v == SignedPresence.Verdict.OK) {
            assertThat(blob).isEqualTo(GENUINE);
        }
        return v;
    }

    @FuzzTest(maxDuration = "30s")
    void entry(byte[] input) {
        check(new String(input, StandardCharsets.ISO_8859_1));
    }

    /** Regression mode: the genuine entry, and seeded mutations of it, one character at a time. */
    @Test
    void mutatedEntriesNeverVerify() {
        assertThat(check(GENUINE)).isEqualTo(SignedPresence.Verdict.OK);
        SplittableRandom r = new SplittableRandom(0x9E5);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ ";
        for (int i = 0; i < 2_000; i++) {
            char[] c = GENUINE.toCharArray();
            int at = r.nextInt(c.length);
            char x = alphabet.charAt(r.nextInt(alphabet.length()));
            if (x == c[at]) {
                continue;
            }
            c[at] = x;
            assertThat(check(new String(c))).isNotEqualTo(SignedPresence.Verdict.OK);
        }
    }
}

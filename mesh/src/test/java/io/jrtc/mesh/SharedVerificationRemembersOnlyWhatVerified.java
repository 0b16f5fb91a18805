package io.jrtc.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * {@link SharedVerification}: a signature one agent verified is accepted by another agent of the process from the
 * memo, and nothing else is: a changed byte of the data, of the signature or of the key misses the memo, is verified
 * by the JDK's Ed25519 and refused.
 */
class SharedVerificationRemembersOnlyWhatVerified {

    private static final Identity ALICE = Identity.generate();
    private static final Identity MALLORY = Identity.generate();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean check(MeshVerifier v, Identity signer, byte[] data, byte[] sig) {
        return v.verify(signer.publicKey(), data, 0, data.length, sig);
    }

    @Test
    void aSignatureVerifiedByOneAgentIsAcceptedByAnotherFromTheMemo() {
        SharedVerification memo = new SharedVerification();
        MeshVerifier first = memo.newVerifier();
        MeshVerifier second = memo.newVerifier();
        byte[] data = bytes("an envelope's signed bytes");
        byte[] sig = ALICE.sign(data, 0, data.length);

        assertThat(check(first, ALICE, data, sig)).isTrue();
        assertThat(memo.misses()).isEqualTo(1);
        assertThat(memo.hits()).isZero();
        assertThat(memo.size()).isEqualTo(1);

        assertThat(check(second, ALICE, data, sig)).isTrue();
        assertThat(check(first, ALICE, data, sig)).isTrue();
        assertThat(memo.hits()).isEqualTo(2);
        assertThat(memo.misses()).isEqualTo(1);
    }

    @Test
    void anyChangedByteMissesTheMemoAndIsRefused() {
        SharedVerification memo = new SharedVerification();
        MeshVerifier v = memo.newVerifier();
        byte[] data = bytes("broadcast #1 from alice");
        byte[] sig = ALICE.sign(data, 0, data.length);
        assertThat(check(v, ALICE, data, sig)).isTrue();

        byte[] tamperedData = data.clone();
        tamperedData[3] ^= 1;
        byte[] tamperedSig = sig.clone();
        tamperedSig[10] ^= 0x40;
        assertThat(check(v, ALICE, tamperedData, sig)).as("data changed").isFalse();
        assertThat(check(v, ALICE, data, tamperedSig)).as("signature changed").isFalse();
        assertThat(check(v, MALLORY, data, sig)).as("another key").isFalse();
        // every one of them was verified for real (a miss each) and none was remembered
        assertThat(memo.misses()).isEqualTo(4);
        assertThat(memo.hits()).isZero();
        assertThat(memo.size()).isEqualTo(1);
        // and asking again still refuses: a refusal is not remembered as anything
        assertThat(check(memo.newVerifier(), ALICE, tamperedData, sig)).isFalse();
        assertThat(memo.misses()).isEqualTo(5);
    }

    @Test
    void theSignedRangeIsWhatCountsNotTheArrayAroundIt() {
        SharedVerification memo = new SharedVerification();
        MeshVerifier v = memo.newVerifier();
        byte[] framed = bytes("HDR|the signed part|TRAILER");
        int off = 4;
        int len = "the signed part".length();
        byte[] sig = ALICE.sign(framed, off, len);
        assertThat(v.verify(ALICE.publicKey(), framed, off, len, sig)).isTrue();
        // the same bytes in another array, at another offset: a hit
        byte[] alone = bytes("the signed part");
        assertThat(v.verify(ALICE.publicKey(), alone, 0, alone.length, sig)).isTrue();
        assertThat(memo.hits()).isEqualTo(1);
        // one byte more of the array is other data: refused
        assertThat(v.verify(ALICE.publicKey(), framed, off, len + 1, sig)).isFalse();
    }

    @Test
    void malformedKeysAndSignaturesAreRefusedWithoutTouchingTheMemo() {
        SharedVerification memo = new SharedVerification();
        MeshVerifier v = memo.newVerifier();
        byte[] data = bytes("x");
        byte[] sig = ALICE.sign(data, 0, data.length);
        assertThat(v.verify(new byte[31], data, 0, 1, sig)).isFalse();
        assertThat(v.verify(ALICE.publicKey(), data, 0, 1, new byte[63])).isFalse();
        assertThat(memo.hits() + memo.misses()).isZero();
    }

    @Test
    void theOldestSignaturesLeaveOnceTheMemoIsFull() {
        SharedVerification memo = new SharedVerification(2);
        MeshVerifier v = memo.newVerifier();
        byte[][] data = {bytes("one"), bytes("two"), bytes("three")};
        byte[][] sigs = new byte[3][];
        for (int i = 0; i < 3; i++) {
            sigs[i] = ALICE.sign(data[i], 0, data[i].length);
            assertThat(check(v, ALICE, data[i], sigs[i])).isTrue();
        }
        assertThat(memo.size()).isEqualTo(2);
        assertThat(memo.misses()).isEqualTo(3);
        assertThat(check(v, ALICE, data[2], sigs[2])).isTrue();
        assertThat(memo.hits()).as("the newest is still there").isEqualTo(1);
        assertThat(check(v, ALICE, data[0], sigs[0])).isTrue();
        assertThat(memo.misses()).as("the oldest had left and was verified again").isEqualTo(4);
        assertThatThrownBy(() -> new SharedVerification(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity");
    }

    @Test
    void agentsOnSeveralThreadsShareOneMemo() throws Exception {
        SharedVerification memo = new SharedVerification();
        int messages = 200;
        List<byte[]> data = new ArrayList<>();
        List<byte[]> sigs = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            byte[] d = bytes("message " + i);
            data.add(d);
            sigs.add(ALICE.sign(d, 0, d.length));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> agents = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int start = t * messages / 4; // each thread walks all messages from its own place
                agents.add(() -> {
                    MeshVerifier v = memo.newVerifier(); // one per thread, as each agent has its own
                    int ok = 0;
                    for (int k = 0; k < messages; k++) {
                        int i = (start + k) % messages;
                        ok += check(v, ALICE, data.get(i), sigs.get(i)) ? 1 : 0;
                    }
                    return ok;
                });
            }
            for (Future<Integer> f : pool.invokeAll(agents)) {
                assertThat(f.get()).isEqualTo(messages);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(memo.hits() + memo.misses()).isEqualTo(4L * messages);
        // one real verification per message at least (two threads on one message at once may both verify it), and
        // the memo answered the others
        assertThat(memo.misses()).isGreaterThanOrEqualTo(messages);
        assertThat(memo.hits()).isPositive();
        assertThat(memo.size()).isEqualTo(messages);
    }
}

package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.ice.IceConnectionState;
import io.jrtc.ice.IceCredentials;
import io.jrtc.testkit.NetemConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Both sides restart ICE (fresh credentials both ways, candidates re-announced) while 300 messages are being
 * transferred on a 20 ms link with 2% loss: the new generation's checks go out with the new credentials, the old pair
 * carries data meanwhile, DTLS and SCTP carry on without a new handshake, and every message arrives in order, byte
 * for byte.
 */
class RtcCoreIceRestartMidTransferLosesNothing {

    @Test
    void restartMidTransfer() {
        NetemConfig link = NetemConfig.perfect().withDelay(Duration.ofMillis(20)).withLoss(0.02);
        RtcPair pair = new RtcPair(21, link, link, null, null);
        assertThat(pair.runUntil(pair::bothConnected, Duration.ofSeconds(30))).isTrue();
        Traffic t = new Traffic(pair, 9);
        DataChannel ch = t.open("restart", DataChannelInit.DEFAULT);
        t.send(ch, 300);
        pair.runUntil(() -> t.receivedCount("restart") >= 60, Duration.ofSeconds(30));
        int before = t.receivedCount("restart");
        assertThat(before).isBetween(60, 299); // mid-transfer
        IceCredentials oldA = pair.a.core.localCredentials();

        long now = pair.now();
        IceCredentials freshA = pair.a.core.restartIce(now);
        IceCredentials freshB = pair.b.core.restartIce(now);
        pair.a.core.setRemoteIceCredentials(now, freshB);
        pair.b.core.setRemoteIceCredentials(now, freshA);
        assertThat(freshA).isNotEqualTo(oldA);
        byte[] newUsername = (freshB.ufrag() + ":" + freshA.ufrag()).getBytes(StandardCharsets.US_ASCII);
        int[] newChecks = {0};
        pair.withFilter((d, i, p) -> {
            if (d == RtcPair.Dir.A_TO_B && contains(p, newUsername)) {
                newChecks[0]++;
            }
            return false;
        });

        assertThat(pair.runUntil(t::allArrived, Duration.ofSeconds(60))).isTrue();
        pair.runFor(Duration.ofSeconds(3));
        List<byte[]> sent = t.sent.get("restart");
        List<byte[]> got = t.received.get("restart");
        assertThat(got).hasSameSizeAs(sent);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(got.get(i)).as("message %d", i).isEqualTo(sent.get(i));
        }
        assertThat(pair.a.core.localCredentials()).isEqualTo(freshA);
        // the new generation's checks (and then its consent checks) went out with the new credentials
        assertThat(newChecks[0]).isPositive();
        assertThat(pair.a.core.iceConnectionState()).isIn(IceConnectionState.CONNECTED, IceConnectionState.COMPLETED);
        assertThat(pair.bothConnected()).isTrue();
        // one DTLS handshake only: no second Connected
        assertThat(pair.a.events(RtcEvent.ConnectionStateChanged.class).stream()
                .filter(e -> e.state() == RtcPeerConnectionState.FAILED)).isEmpty();
    }

    private static boolean contains(ByteBuffer p, byte[] needle) {
        byte[] hay = new byte[p.remaining()];
        p.duplicate().get(hay);
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}

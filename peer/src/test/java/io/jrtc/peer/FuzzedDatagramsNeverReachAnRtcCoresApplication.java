package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.ice.SocketId;
import io.jrtc.testkit.FuzzScript;
import io.jrtc.testkit.NetemConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

/**
 * Jazzer target for {@link RtcCore}'s one demultiplexing point and the layers behind it, on the virtual clock: a fresh
 * connected {@link RtcPair} per input (5 ms links) with a channel open from A, then a script from the input of up to
 * {@value #MAX_ACTIONS} actions: a datagram forged from the authentic address of the other side (its first byte in
 * the STUN, DTLS or SRTP range, or outside them, then bytes from the input) into B or into A, a real message from A,
 * or virtual time passing. Contract: nothing throws, both stay {@code CONNECTED}, B saw exactly one data channel, and
 * B received exactly A's messages, in order and byte for byte, plus one sent after the script.
 */
class FuzzedDatagramsNeverReachAnRtcCoresApplication {

    private static final int MAX_ACTIONS = 8;
    private static final int MAX_DATAGRAM = 600;
    /** A first byte per class: STUN, DTLS handshake/alert/CCS/application data, RTP/RTCP, outside every range. */
    private static final int[] FIRST_BYTES = {0, 1, 20, 21, 22, 23, 0x80, 0x90, 200, 64, 4};

    @FuzzTest(maxDuration = "60s")
    void datagrams(byte[] input) {
        RtcPair pair = new RtcPair(1, NetemConfig.perfect().withDelay(Duration.ofMillis(5)),
                NetemConfig.perfect().withDelay(Duration.ofMillis(5)), null, null);
        assertThat(pair.runUntil(pair::bothConnected, Duration.ofSeconds(10))).isTrue();
        Traffic t = new Traffic(pair, 3);
        DataChannel ch = t.open("f", DataChannelInit.DEFAULT);
        FuzzScript script = new FuzzScript(input);
        for (int i = 0; i < MAX_ACTIONS && script.more(); i++) {
            switch (script.next(4)) {
                case 0 -> forge(pair, pair.b, pair.a, script);
                case 1 -> forge(pair, pair.a, pair.b, script);
                case 2 -> t.send(ch, 1);
                default -> pair.runFor(Duration.ofMillis(script.next(256)));
            }
        }
        t.send(ch, 1);
        assertThat(pair.runUntil(t::allArrived, Duration.ofSeconds(30))).isTrue();
        pair.runFor(Duration.ofMillis(500));

        assertThat(pair.a.core.connectionState()).isEqualTo(RtcPeerConnectionState.CONNECTED);
        assertThat(pair.b.core.connectionState()).isEqualTo(RtcPeerConnectionState.CONNECTED);
        assertThat(pair.b.events(RtcEvent.DataChannelOpened.class)).hasSize(1);
        assertThat(pair.a.events(RtcEvent.DataChannelOpened.class)).isEmpty();
        List<byte[]> sent = t.sent.get("f");
        List<byte[]> got = t.received.get("f");
        assertThat(got).hasSameSizeAs(sent);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(got.get(i)).isEqualTo(sent.get(i));
        }
    }

    /** A datagram into {@code to} from {@code from}'s authentic address (what ICE lets through from the selected pair). */
    private static void forge(RtcPair pair, RtcPair.Side to, RtcPair.Side from, FuzzScript script) {
        int length = 1 + script.next16() % MAX_DATAGRAM;
        byte[] d = new byte[length];
        d[0] = (byte) FIRST_BYTES[script.next(FIRST_BYTES.length)];
        for (int i = 1; i < length && script.more(); i++) {
            d[i] = (byte) script.next(256);
        }
        to.core.handleInput(pair.now(), SocketId.udp(0), from.address, ByteBuffer.wrap(d));
        pair.settle();
    }
}

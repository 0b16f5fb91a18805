package io.jrtc.datachannel;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.testkit.BackToBack.Direction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The client closes a channel right after the server's last message on it was lost. The server resets its own side
 * in answer and is told "In progress" (RFC 6525 §5.2.2: the client lacks that DATA) until its retransmission arrives;
 * the client, having reset both directions, reuses the stream id at once. The server must take the new
 * DATA_CHANNEL_OPEN (and what follows it) once its own reset is confirmed, not refuse it as "id in use", and answer on
 * the stream from SSN 0. The conformance probe's {@code stream-reset-in-progress} found the refusal (jrtc against
 * jrtc: nothing was ever sent on the reused stream).
 */
class StreamReusedBeforeOurResetIsConfirmed {

    private static boolean carries(java.nio.ByteBuffer packet, String text) {
        byte[] b = new byte[packet.remaining()];
        packet.duplicate().get(b);
        return new String(b, StandardCharsets.ISO_8859_1).contains(text);
    }

    @Test
    void aReusedStreamOpensAndFlowsBothWaysOnceTheDeferredResetCompletes() {
        DcPair p = DcPair.perfect();
        p.connect();
        List<String> serverGot = new ArrayList<>();
        p.server.onDataChannel(c -> {
            p.serverChannels.add(c);
            c.onMessage(m -> {
                serverGot.add(c.label() + ":" + m.text());
                c.send("echo " + m.text());
            });
        });
        DataChannel first = p.client.createDataChannel("first", DataChannelInit.DEFAULT);
        List<String> clientGot = new ArrayList<>();
        first.onMessage(m -> clientGot.add("first:" + m.text()));
        first.send("one");
        assertThat(p.run(() -> clientGot.contains("first:echo one"), Duration.ofSeconds(2))).isTrue();
        boolean[] dropped = {false};
        p.net.withFilter((d, i, pkt) -> {
            if (d == Direction.B_TO_A && !dropped[0] && carries(pkt, "echo last")) {
                dropped[0] = true;
                return true;
            }
            return false;
        });
        first.send("last");
        assertThat(p.run(() -> dropped[0], Duration.ofSeconds(2))).isTrue();
        first.close();
        assertThat(p.run(() -> first.readyState() == DataChannelState.CLOSED, Duration.ofSeconds(10))).isTrue();
        // the client has both directions reset: it reuses the id at once
        DataChannel second = p.client.createDataChannel("second", DataChannelInit.DEFAULT);
        assertThat(second.id()).isEqualTo(first.id());
        second.onMessage(m -> clientGot.add("second:" + m.text()));
        second.send("two");
        second.send("three");
        assertThat(p.run(() -> clientGot.contains("second:echo three"), Duration.ofSeconds(10)))
                .as("client got %s, server got %s", clientGot, serverGot).isTrue();
        assertThat(serverGot).containsExactly("first:one", "first:last", "second:two", "second:three");
        assertThat(clientGot).containsExactly("first:echo one", "second:echo two", "second:echo three");
        assertThat(p.serverChannels).hasSize(2);
        assertThat(p.serverChannels.get(0).readyState()).isEqualTo(DataChannelState.CLOSED);
        assertThat(p.server.stats().dcepErrors()).isZero();
    }
}

package io.jrtc.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AssociationSmokeTest {

    @Test
    void messagesFlowBothWaysAfterSimultaneousConnect() {
        SctpPair p = SctpPair.perfect(7);
        p.establish();
        assertThat(SctpPair.all(p.eventsA, SctpEvent.Connected.class)).hasSize(1);
        assertThat(SctpPair.all(p.eventsB, SctpEvent.Connected.class)).hasSize(1);
        p.a.send(p.now(), 1, 51, ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)), SendOptions.RELIABLE);
        p.b.send(p.now(), 2, 53, ByteBuffer.wrap(new byte[100_000]), SendOptions.RELIABLE);
        p.run(() -> SctpPair.has(p.eventsB, SctpEvent.MessageReceived.class) && SctpPair.has(p.eventsA, SctpEvent.MessageReceived.class),
                Duration.ofSeconds(5));
        SctpEvent.MessageReceived m = SctpPair.all(p.eventsB, SctpEvent.MessageReceived.class).get(0);
        assertThat(m.streamId()).isEqualTo(1);
        assertThat(m.ppid()).isEqualTo(51);
        assertThat(StandardCharsets.UTF_8.decode(m.data()).toString()).isEqualTo("hello");
        SctpEvent.MessageReceived big = SctpPair.all(p.eventsA, SctpEvent.MessageReceived.class).get(0);
        assertThat(big.data().remaining()).isEqualTo(100_000);
        assertThat(p.a.zeroChecksumInUse()).isTrue();
    }
}

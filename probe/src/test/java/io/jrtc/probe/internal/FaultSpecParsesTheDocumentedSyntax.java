package io.jrtc.probe.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.probe.Probe;
import io.jrtc.sctp.packet.ChunkTypes;
import org.junit.jupiter.api.Test;

/** {@code --fault}'s syntax becomes the tap's {@link Fault}s: chunk type, direction, which packets, action. */
class FaultSpecParsesTheDocumentedSyntax {

    @Test
    void theReadmeExamples() {
        Fault cookie = FaultSpec.parse("drop:COOKIE_ECHO:first");
        assertThat(cookie).extracting(Fault::action, Fault::direction, Fault::chunkType, Fault::first, Fault::every)
                .containsExactly(Fault.Action.DROP, Direction.OUTBOUND, ChunkTypes.COOKIE_ECHO, 1, 0);
        assertThat(cookie.name()).isEqualTo("drop #1 outbound COOKIE_ECHO");

        Fault tenth = FaultSpec.parse("drop:DATA:every=10:in");
        assertThat(tenth).extracting(Fault::action, Fault::direction, Fault::chunkType, Fault::first, Fault::every)
                .containsExactly(Fault.Action.DROP, Direction.INBOUND, ChunkTypes.DATA, 10, 10);
        assertThat(tenth.selects(10)).isTrue();
        assertThat(tenth.selects(20)).isTrue();
        assertThat(tenth.selects(15)).isFalse();
        assertThat(tenth.selects(1)).isFalse();

        Fault delay = FaultSpec.parse("delay:data:ms=200");
        assertThat(delay).extracting(Fault::action, Fault::direction, Fault::chunkType, Fault::first, Fault::every, Fault::delayMs)
                .containsExactly(Fault.Action.DELAY, Direction.OUTBOUND, ChunkTypes.DATA, 1, 0, 200L);

        Fault dup = FaultSpec.parse("duplicate:any:nth=3:every=5");
        assertThat(dup).extracting(Fault::action, Fault::chunkType, Fault::first, Fault::every)
                .containsExactly(Fault.Action.DUPLICATE, -1, 3, 5);
        assertThat(FaultSpec.parse("drop:192:in").chunkType()).isEqualTo(ChunkTypes.FORWARD_TSN);
        assertThat(FaultSpec.parse("drop:FORWARD-TSN").chunkType()).isEqualTo(ChunkTypes.FORWARD_TSN);
        assertThat(Probe.checkFault("drop:INIT_ACK:in")).isEqualTo("drop #1 inbound INIT_ACK");
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> FaultSpec.parse("drop")).hasMessageContaining("ACTION:CHUNK");
        assertThatThrownBy(() -> FaultSpec.parse("lose:DATA")).hasMessageContaining("drop, duplicate or delay");
        assertThatThrownBy(() -> FaultSpec.parse("drop:NOPE")).hasMessageContaining("unknown chunk type 'NOPE'");
        assertThatThrownBy(() -> FaultSpec.parse("drop:DATA:every=0")).hasMessageContaining("every must be a positive integer");
        assertThatThrownBy(() -> FaultSpec.parse("delay:DATA")).hasMessageContaining("delay needs ms=MS");
        assertThatThrownBy(() -> FaultSpec.parse("drop:DATA:ms=5")).hasMessageContaining("ms= only goes with delay");
        assertThatThrownBy(() -> FaultSpec.parse("drop:DATA:sometimes")).hasMessageContaining("unknown option 'sometimes'");
        assertThatThrownBy(() -> Probe.builder().faults(java.util.List.of("drop:DATA:nth=x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nth must be a positive integer");
    }
}

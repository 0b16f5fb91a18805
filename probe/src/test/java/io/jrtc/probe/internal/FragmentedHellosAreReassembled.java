package io.jrtc.probe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.peer.PacketTap.Direction;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A hello larger than a datagram comes in fragments (Chromium's ClientHello, 1,413 bytes with its post-quantum key
 * share, in two datagrams): the tap must put it together, or the DTLS scenarios would report "no ClientHello" against
 * a browser (they did, before this).
 */
class FragmentedHellosAreReassembled {

    /** A ClientHello (59 bytes: DTLS 1.2, suites 0xC02B and 0x002F, extended_master_secret, use_srtp 0x0007). */
    private static final byte[] BODY = HexFormat.of().parseHex("fefd" + "00".repeat(32) + "00" + "00" + "0004c02b002f"
            + "0100" + "000d" + "00170000" + "000e0005000200070" + "0");

    /** One DTLS record of epoch 0 carrying bytes [off, off+len) of the ClientHello, message_seq 0. */
    private static byte[] fragment(int off, int len) {
        ByteBuffer b = ByteBuffer.allocate(13 + 12 + len);
        b.put((byte) 22).putShort((short) 0xFEFD).putShort((short) 0).putShort((short) 0).putInt(off == 0 ? 0 : 1);
        b.putShort((short) (12 + len));
        b.put((byte) 1).put((byte) 0).putShort((short) BODY.length).putShort((short) 0);
        b.put((byte) 0).putShort((short) off).put((byte) 0).putShort((short) len);
        b.put(BODY, off, len);
        return b.array();
    }

    @Test
    void aClientHelloInTwoDatagramsDecodesOnceItsSecondPartArrives() {
        byte[] first = fragment(0, 30);
        byte[] second = fragment(30, BODY.length - 30);
        Wire.Datagram alone = Wire.decode(ByteBuffer.wrap(first));
        assertThat(alone.has(Wire.Kind.DTLS_CLIENT_HELLO)).isTrue();
        assertThat(alone.hello(true)).as("a fragment alone is not decoded").isNull();
        assertThat(alone.decoded()).contains("fragment 0+30/" + BODY.length);
        assertThat(Wire.reassembledHello(List.of(first), true)).isNull();
        Wire.Hello h = Wire.reassembledHello(List.of(second, first), true);
        assertThat(h).isNotNull();
        assertThat(h.cipherSuites()).containsExactly(0xC02B, 0x002F);
        assertThat(h.extensions()).containsExactly(Wire.EXT_EXTENDED_MASTER_SECRET, Wire.EXT_USE_SRTP);
        assertThat(h.srtpProfiles()).containsExactly(0x0007);
    }

    @Test
    void theTapGivesTheWholeHelloToTheDatagramThatCompletesIt() throws Exception {
        ProbeTap tap = new ProbeTap(List.of());
        List<ByteBuffer> passed = new ArrayList<>();
        tap.onDatagram(Direction.INBOUND, ByteBuffer.wrap(fragment(0, 30)), passed::add);
        assertThat(tap.wire().get(0).datagram().hello(true)).isNull();
        tap.onDatagram(Direction.INBOUND, ByteBuffer.wrap(fragment(30, BODY.length - 30)), passed::add);
        assertThat(passed).hasSize(2);
        ProbeTap.WireSeen w = tap.awaitWire(x -> x.datagram().hello(true) != null, 1000);
        assertThat(w).isSameAs(tap.wire().get(1));
        assertThat(w.datagram().hello(true).cipherSuites()).containsExactly(0xC02B, 0x002F);
        assertThat(w.datagram().decoded()).contains("reassembled: ");
    }
}

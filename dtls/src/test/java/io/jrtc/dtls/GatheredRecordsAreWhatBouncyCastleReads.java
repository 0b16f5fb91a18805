package io.jrtc.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.Gather;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Records that {@code ApplicationDataWriter} encrypts from gathered ranges (AES-GCM through the JDK, sequence numbers
 * from bctls's counter) are read by a peer whose every record goes through bctls's own record layer: the same bytes,
 * in order, interleaved with records bctls itself wrote (so no sequence number is used twice), both roles.
 */
class GatheredRecordsAreWhatBouncyCastleReads {

    private final Random rnd = new Random(21);
    private Pump p;

    @BeforeEach
    void connect() throws Exception {
        p = Pump.connectedAndQuiet();
    }

    @Test
    void gatheredRecordsArriveWholeInBothRoles() {
        assertThat(p.a.writer()).as("AES-128-GCM is negotiated: the writer exists").isNotNull();
        assertThat(p.b.writer()).isNotNull();
        for (DtlsEndpoint[] d : new DtlsEndpoint[][] {{p.a, p.b}, {p.b, p.a}}) {
            DtlsEndpoint from = d[0];
            DtlsEndpoint to = d[1];
            to.recordsThroughBouncyCastleOnly();
            for (int i = 0; i < 60; i++) {
                ByteArrayOutputStream expected = new ByteArrayOutputStream();
                Gather g = randomGather(expected);
                from.send(g);
                ByteBuffer wire = from.pollTransmit().orElseThrow();
                checkHeader(wire, g.length());
                to.handleInput(System.nanoTime(), wire);
                assertThat(received(to)).containsExactly(expected.toByteArray());
            }
        }
    }

    @Test
    void gatheredAndBouncyCastleRecordsShareOneSequence() {
        p.b.recordsThroughBouncyCastleOnly();
        List<byte[]> sent = new ArrayList<>();
        List<ByteBuffer> wire = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            byte[] x = new byte[1 + rnd.nextInt(1100)];
            rnd.nextBytes(x);
            sent.add(x);
            if (i % 3 == 1) {
                p.a.send(ByteBuffer.wrap(x)); // bctls encrypts this one
            } else {
                p.a.send(new Gather(1).add(x, 0, x.length));
            }
            wire.add(p.a.pollTransmit().orElseThrow());
        }
        long previous = -1;
        for (ByteBuffer w : wire) {
            long seq = w.getLong(w.position() + 3) & 0xFFFF_FFFF_FFFFL;
            assertThat(seq).as("sequence numbers increase across both writers").isGreaterThan(previous);
            previous = seq;
            p.b.handleInput(System.nanoTime(), w);
        }
        assertThat(received(p.b)).containsExactlyElementsOf(sent);
        p.a.close(); // bctls's close_notify takes the next number: accepted, not a replay
        p.b.handleInput(System.nanoTime(), p.a.pollTransmit().orElseThrow());
        assertThat(p.b.state()).isEqualTo(DtlsState.CLOSED);
    }

    @Test
    void anEmptyGatherIsAnEmptyRecord() {
        p.b.recordsThroughBouncyCastleOnly();
        p.a.send(new Gather(1));
        ByteBuffer w = p.a.pollTransmit().orElseThrow();
        checkHeader(w, 0);
        p.b.handleInput(System.nanoTime(), w);
        assertThat(received(p.b)).containsExactly(new byte[0]);
    }

    /** Type 23, DTLS 1.2, epoch 1, length = explicit nonce + plaintext + tag, explicit nonce = epoch and sequence. */
    private static void checkHeader(ByteBuffer w, int plaintext) {
        int p = w.position();
        assertThat(w.get(p) & 0xFF).isEqualTo(23);
        assertThat(w.getShort(p + 1) & 0xFFFF).isEqualTo(0xFEFD);
        assertThat(w.getShort(p + 3) & 0xFFFF).isEqualTo(1);
        assertThat(w.getShort(p + 11) & 0xFFFF).isEqualTo(8 + plaintext + 16);
        assertThat(w.remaining()).isEqualTo(13 + 8 + plaintext + 16);
        assertThat(w.getLong(p + 13)).isEqualTo(w.getLong(p + 3));
    }

    /** 1 to 5 ranges from separate arrays (with bytes around them that must not be sent), at most 1,200 bytes. */
    private Gather randomGather(ByteArrayOutputStream expected) {
        Gather g = new Gather(2);
        int pieces = 1 + rnd.nextInt(5);
        for (int i = 0; i < pieces; i++) {
            int len = rnd.nextInt(240);
            int pad = rnd.nextInt(8);
            byte[] a = new byte[pad + len + pad];
            rnd.nextBytes(a);
            g.add(a, pad, len);
            expected.write(a, pad, len);
        }
        return g;
    }

    private static List<byte[]> received(DtlsEndpoint e) {
        List<byte[]> out = new ArrayList<>();
        for (var ev = e.pollEvent(); ev.isPresent(); ev = e.pollEvent()) {
            if (ev.get() instanceof DtlsEvent.ApplicationData a) {
                byte[] x = new byte[a.data().remaining()];
                a.data().duplicate().get(x);
                out.add(x);
            }
        }
        return out;
    }
}

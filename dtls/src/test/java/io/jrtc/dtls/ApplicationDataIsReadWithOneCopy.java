package io.jrtc.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.dtls.internal.ApplicationDataReader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * After the handshake, application data of the current epoch is decrypted by {@code ApplicationDataReader} (one copy:
 * into an array of the record's own length, decrypted in place and handed over as a view), with bctls's replay window
 * and cipher; everything else still goes through bctls. Checked in both directions (the server's first record from
 * the client goes through bctls, which then drops its last flight's retransmission state), against replays, forged
 * tags, reordering, another epoch, and a close_notify behind data in one datagram.
 */
class ApplicationDataIsReadWithOneCopy {

    private final Random rnd = new Random(12);
    private Pump p;

    @BeforeEach
    void connect() throws Exception {
        p = Pump.connectedAndQuiet();
    }

    @Test
    void bothDirectionsAreReadByTheReaderWithTheirExactBytes() {
        assertThat(ApplicationDataReader.available()).as("bctls's record layer is reachable").isTrue();
        assertThat(p.a.reader()).isNotNull();
        assertThat(p.b.reader()).isNotNull();
        warmUp();
        for (DtlsEndpoint[] d : new DtlsEndpoint[][] {{p.a, p.b}, {p.b, p.a}}) {
            DtlsEndpoint from = d[0];
            DtlsEndpoint to = d[1];
            long before = to.recordsReceived();
            for (int i = 0; i < 50; i++) {
                byte[] x = bytes(1 + rnd.nextInt(1200));
                ByteBuffer got = deliverOne(from, to, record(from, x));
                assertThat(bytesOf(got)).isEqualTo(x);
                // the one copy: an array of the record's fragment (explicit nonce + plaintext + tag), nothing larger
                assertThat(got.array().length - got.remaining()).isLessThanOrEqualTo(24);
            }
            assertThat(to.recordsReceived() - before).isEqualTo(50);
            assertThat(to.reader().discarded()).isZero();
        }
    }

    @Test
    void aReplayedRecordIsDiscardedAndTheAssociationStays() {
        byte[] x = bytes(300);
        ByteBuffer wire = record(p.a, x);
        ByteBuffer copy = copyOf(wire);
        assertThat(bytesOf(deliverOne(p.a, p.b, wire))).isEqualTo(x);
        p.b.handleInput(System.nanoTime(), copy);
        assertThat(applicationData(p.b)).isEmpty();
        assertThat(p.b.reader().discarded()).isEqualTo(1);
        assertThat(p.b.state()).isEqualTo(DtlsState.CONNECTED);
    }

    @Test
    void aForgedTagIsDiscardedAndTheNextRecordStillArrives() {
        warmUp();
        ByteBuffer forged = record(p.a, bytes(500));
        forged.put(forged.limit() - 1, (byte) (forged.get(forged.limit() - 1) ^ 1));
        p.b.handleInput(System.nanoTime(), forged);
        assertThat(applicationData(p.b)).isEmpty();
        assertThat(p.b.reader().discarded()).isEqualTo(1);
        assertThat(p.b.state()).isEqualTo(DtlsState.CONNECTED);
        byte[] next = bytes(40);
        assertThat(bytesOf(deliverOne(p.a, p.b, record(p.a, next)))).isEqualTo(next);
    }

    @Test
    void reorderedRecordsWithinTheWindowAreAllDelivered() {
        warmUp();
        List<byte[]> sent = new ArrayList<>();
        List<ByteBuffer> wire = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] x = bytes(100 + i);
            sent.add(x);
            wire.add(record(p.a, x));
        }
        long now = System.nanoTime();
        for (int i : new int[] {4, 0, 3, 1, 2}) {
            p.b.handleInput(now, wire.get(i));
        }
        List<ByteBuffer> got = applicationData(p.b);
        assertThat(got).hasSize(5);
        int k = 0;
        for (int i : new int[] {4, 0, 3, 1, 2}) {
            assertThat(bytesOf(got.get(k++))).isEqualTo(sent.get(i));
        }
        assertThat(p.b.reader().discarded()).isZero();
    }

    @Test
    void aRecordOfAnotherEpochGoesToBouncyCastleWhichDropsIt() {
        warmUp();
        ByteBuffer r = record(p.a, bytes(64));
        r.put(r.position() + 4, (byte) 7); // epoch 7: not the current one
        p.b.handleInput(System.nanoTime(), r);
        assertThat(applicationData(p.b)).isEmpty();
        assertThat(p.b.reader().discarded()).as("not the reader's to judge").isZero();
        assertThat(p.b.state()).isEqualTo(DtlsState.CONNECTED);
    }

    @Test
    void dataThenCloseNotifyInOneDatagramDeliversTheDataThenCloses() {
        warmUp();
        byte[] x = bytes(200);
        ByteBuffer data = record(p.a, x);
        p.a.close();
        ByteBuffer alert = p.a.pollTransmit().orElseThrow();
        ByteBuffer both = ByteBuffer.allocate(data.remaining() + alert.remaining()).put(data).put(alert).flip();
        p.b.handleInput(System.nanoTime(), both);
        List<DtlsEvent> events = new ArrayList<>();
        for (var e = p.b.pollEvent(); e.isPresent(); e = p.b.pollEvent()) {
            events.add(e.get());
        }
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isInstanceOf(DtlsEvent.ApplicationData.class);
        assertThat(bytesOf(((DtlsEvent.ApplicationData) events.get(0)).data())).isEqualTo(x);
        assertThat(events.get(1)).isInstanceOf(DtlsEvent.Closed.class);
        assertThat(p.b.state()).isEqualTo(DtlsState.CLOSED);
    }

    /** One record each way, so that the server has seen the client's first record (bctls's path) before the checks. */
    private void warmUp() {
        deliverOne(p.a, p.b, record(p.a, bytes(10)));
        deliverOne(p.b, p.a, record(p.b, bytes(10)));
    }

    private ByteBuffer record(DtlsEndpoint from, byte[] x) {
        from.send(ByteBuffer.wrap(x));
        return from.pollTransmit().orElseThrow();
    }

    private static ByteBuffer deliverOne(DtlsEndpoint from, DtlsEndpoint to, ByteBuffer wire) {
        to.handleInput(System.nanoTime(), wire);
        List<ByteBuffer> got = applicationData(to);
        assertThat(got).hasSize(1);
        return got.get(0);
    }

    private static List<ByteBuffer> applicationData(DtlsEndpoint e) {
        List<ByteBuffer> out = new ArrayList<>();
        for (var ev = e.pollEvent(); ev.isPresent(); ev = e.pollEvent()) {
            if (ev.get() instanceof DtlsEvent.ApplicationData a) {
                out.add(a.data());
            }
        }
        return out;
    }

    private byte[] bytes(int n) {
        byte[] x = new byte[n];
        rnd.nextBytes(x);
        return x;
    }

    private static ByteBuffer copyOf(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.remaining());
        c.put(b.duplicate()).flip();
        return c;
    }

    private static byte[] bytesOf(ByteBuffer b) {
        byte[] x = new byte[b.remaining()];
        b.duplicate().get(x);
        return x;
    }
}

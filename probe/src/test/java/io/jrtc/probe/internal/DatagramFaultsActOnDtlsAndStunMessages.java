package io.jrtc.probe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.sctp.packet.ChunkTypes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code --fault} names DTLS handshake messages and STUN messages; the tap's datagram point decodes them and the faults
 * act on the datagrams that carry them, and only on those.
 */
class DatagramFaultsActOnDtlsAndStunMessages {

    /** A DTLS 1.2 ClientHello (one record) offering two suites with extended_master_secret and use_srtp. */
    static byte[] clientHello() {
        ByteBuffer body = ByteBuffer.allocate(200);
        body.putShort((short) 0xFEFD).put(new byte[32]).put((byte) 0).put((byte) 0); // version, random, session id, cookie
        body.putShort((short) 4).putShort((short) 0xC02B).putShort((short) 0x002F); // suites
        body.put((byte) 1).put((byte) 0); // compression: null
        body.putShort((short) (4 + 4 + 5)); // extensions
        body.putShort((short) 23).putShort((short) 0); // extended_master_secret
        body.putShort((short) 14).putShort((short) 5).putShort((short) 2).putShort((short) 0x0007).put((byte) 0); // use_srtp
        body.flip();
        return record(22, 0, handshake(1, body));
    }

    static ByteBuffer handshake(int type, ByteBuffer body) {
        int n = body.remaining();
        ByteBuffer h = ByteBuffer.allocate(12 + n);
        h.put((byte) type).put((byte) (n >> 16)).putShort((short) n).putShort((short) 0);
        h.put((byte) 0).putShort((short) 0).put((byte) (n >> 16)).putShort((short) n).put(body).flip();
        return h;
    }

    static byte[] record(int type, int epoch, ByteBuffer fragment) {
        ByteBuffer r = ByteBuffer.allocate(13 + fragment.remaining());
        r.put((byte) type).putShort((short) 0xFEFD).putShort((short) epoch).put(new byte[6])
                .putShort((short) fragment.remaining()).put(fragment);
        return r.array();
    }

    /** ChangeCipherSpec and an (encrypted) Finished record of epoch 1, in one datagram. */
    static byte[] finished() {
        byte[] ccs = record(20, 0, ByteBuffer.wrap(new byte[] {1}));
        byte[] fin = record(22, 1, ByteBuffer.wrap(new byte[40]));
        return ByteBuffer.allocate(ccs.length + fin.length).put(ccs).put(fin).array();
    }

    static byte[] bindingRequest() {
        return StunForge.message(0x0001, new byte[12], List.of(new Wire.Attr(Wire.USERNAME, "a:b".getBytes()),
                new Wire.Attr(Wire.PRIORITY, new byte[] {0x6e, 0, 0x1e, (byte) 0xff}),
                new Wire.Attr(Wire.ICE_CONTROLLING, StunForge.u64(5)), new Wire.Attr(Wire.USE_CANDIDATE, new byte[0])), "pwd");
    }

    private static List<ByteBuffer> pass(ProbeTap tap, Direction d, byte[] datagram) {
        List<ByteBuffer> out = new ArrayList<>();
        tap.onDatagram(d, ByteBuffer.wrap(datagram), out::add);
        return out;
    }

    @Test
    void theNewNamesParse() {
        Fault fin = FaultSpec.parse("drop:DTLS_FINISHED:first");
        assertThat(fin).extracting(Fault::action, Fault::direction, Fault::wire, Fault::first, Fault::every)
                .containsExactly(Fault.Action.DROP, Direction.OUTBOUND, Wire.Kind.DTLS_FINISHED, 1, 0);
        assertThat(fin.name()).isEqualTo("drop #1 outbound DTLS_FINISHED");
        assertThat(FaultSpec.parse("delay:dtls-finished:ms=2000")).extracting(Fault::action, Fault::wire, Fault::delayMs)
                .containsExactly(Fault.Action.DELAY, Wire.Kind.DTLS_FINISHED, 2000L);
        assertThat(FaultSpec.parse("drop:STUN_BINDING_REQUEST:every=1:in")).extracting(Fault::direction, Fault::wire, Fault::every)
                .containsExactly(Direction.INBOUND, Wire.Kind.STUN_BINDING_REQUEST, 1);
        assertThat(FaultSpec.parse("duplicate:DTLS_CLIENT_HELLO:in").wire()).isEqualTo(Wire.Kind.DTLS_CLIENT_HELLO);
        assertThat(FaultSpec.parse("drop:DATA").wire()).isNull();
    }

    @Test
    void theDecodingShowsTheHelloAndTheStunAttributes() {
        Wire.Datagram hello = Wire.decode(ByteBuffer.wrap(clientHello()));
        assertThat(hello.kinds()).contains(Wire.Kind.DTLS, Wire.Kind.DTLS_CLIENT_HELLO);
        assertThat(hello.hello(true).cipherSuites()).containsExactly(0xC02B, 0x002F);
        assertThat(hello.hello(true).extensions()).containsExactly(23, 14);
        assertThat(hello.hello(true).srtpProfiles()).containsExactly(0x0007);
        assertThat(hello.decoded()).isEqualTo("DTLS [Handshake ClientHello seq=0 DTLS 1.2 suites=[ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, "
                + "RSA_WITH_AES_128_CBC_SHA] ext=[extended_master_secret, use_srtp] srtp=[0x0007]]");
        Wire.Datagram fin = Wire.decode(ByteBuffer.wrap(finished()));
        assertThat(fin.kinds()).contains(Wire.Kind.DTLS_CHANGE_CIPHER_SPEC, Wire.Kind.DTLS_FINISHED);
        assertThat(fin.decoded()).isEqualTo("DTLS [ChangeCipherSpec e0; Handshake e1 (encrypted: Finished) 40 B]");
        Wire.Datagram stun = Wire.decode(ByteBuffer.wrap(bindingRequest()));
        assertThat(stun.kinds()).contains(Wire.Kind.STUN, Wire.Kind.STUN_BINDING_REQUEST);
        assertThat(stun.decoded()).isEqualTo("STUN Binding request tx=000000000000000000000000 USERNAME=a:b PRIORITY=1845501695 "
                + "ICE-CONTROLLING=0x5 USE-CANDIDATE MESSAGE-INTEGRITY FINGERPRINT");
        assertThat(Wire.decode(ByteBuffer.wrap(new byte[] {(byte) 0x80, 96, 0, 1})).decoded()).isEqualTo("SRTP pt=96 4 B");
    }

    @Test
    void faultsActOnlyOnTheDatagramsThatCarryTheirMessage() throws Exception {
        ProbeTap tap = new ProbeTap(List.of(FaultSpec.parse("drop:DTLS_FINISHED:first"),
                FaultSpec.parse("drop:STUN_BINDING_REQUEST:nth=2:in"), FaultSpec.parse("duplicate:DTLS_CLIENT_HELLO:in"),
                Fault.drop(Direction.OUTBOUND, ChunkTypes.DATA, 1, 1)));
        // the SCTP fault (every outbound DATA) never acts on a datagram; the first Finished is dropped, not the second
        assertThat(pass(tap, Direction.OUTBOUND, clientHello())).hasSize(1);
        assertThat(pass(tap, Direction.OUTBOUND, finished())).isEmpty();
        assertThat(pass(tap, Direction.OUTBOUND, finished())).hasSize(1);
        // a Finished going the other way is not counted by an outbound fault
        assertThat(pass(tap, Direction.INBOUND, finished())).hasSize(1);
        assertThat(pass(tap, Direction.INBOUND, bindingRequest())).hasSize(1);
        assertThat(pass(tap, Direction.INBOUND, bindingRequest())).isEmpty();
        assertThat(pass(tap, Direction.INBOUND, bindingRequest())).hasSize(1);
        List<ByteBuffer> twice = pass(tap, Direction.INBOUND, clientHello());
        assertThat(twice).hasSize(2).allMatch(b -> b.equals(ByteBuffer.wrap(clientHello())));
        assertThat(tap.wire()).extracting(ProbeTap.WireSeen::fault).containsExactly(null, "drop #1 outbound DTLS_FINISHED",
                null, null, null, "drop #2 inbound STUN_BINDING_REQUEST", null,
                "duplicate #1 inbound DTLS_CLIENT_HELLO", "duplicate #1 inbound DTLS_CLIENT_HELLO");
        // a delayed datagram goes on later, from the delay thread, and is recorded then
        ProbeTap delaying = new ProbeTap(List.of(FaultSpec.parse("delay:DTLS_FINISHED:ms=50")));
        CompletableFuture<ByteBuffer> later = new CompletableFuture<>();
        delaying.onDatagram(Direction.OUTBOUND, ByteBuffer.wrap(finished()), later::complete);
        assertThat(delaying.wire()).isEmpty();
        assertThat(later.get(5, TimeUnit.SECONDS)).isEqualTo(ByteBuffer.wrap(finished()));
        assertThat(delaying.awaitWire(w -> "delay 50 ms #1 outbound DTLS_FINISHED".equals(w.fault()), 5000)).isNotNull();
    }
}

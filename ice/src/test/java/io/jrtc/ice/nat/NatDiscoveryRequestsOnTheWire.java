package io.jrtc.ice.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import io.jrtc.common.Hex;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * The bytes the discovery sends (Binding requests with CHANGE-REQUEST, RFC 5780 §7.2, and FINGERPRINT) and the codec
 * of OTHER-ADDRESS / RESPONSE-ORIGIN (§7.3, §7.4): vectors, round trips and named malformed inputs.
 */
class NatDiscoveryRequestsOnTheWire {

    @Test
    void requestsAreBindingRequestsWithTheRightChangeRequestFlagsAndAFingerprint() {
        ModelledNat nat = new ModelledNat(MappingBehavior.ADDRESS_AND_PORT_DEPENDENT,
                FilteringBehavior.ADDRESS_AND_PORT_DEPENDENT);
        Set<String> ids = new HashSet<>();
        nat.onRequest = data -> {
            check(data);
            ids.add(Hex.encode(StunBytes.transactionId(data)));
        };
        Discovery d = new Discovery(nat);
        NatBehaviorResult r = d.run();
        assertThat(r.tests()).hasSize(5);
        assertThat(ids).hasSize(5); // one transaction per test; retransmissions reuse it
        assertThat(d.sent).isEqualTo(1 + 3 + 3 + 1 + 1); // I; filtering II and III unanswered x3 each; mapping II, III
    }

    private static void check(ByteBuffer data) {
        ByteBuffer m = data.duplicate();
        assertThat(m.getShort(0)).isEqualTo((short) 0x0001);
        assertThat(m.getInt(4)).isEqualTo(StunBytes.MAGIC_COOKIE);
        assertThat(m.getShort(2) & 0xFFFF).isEqualTo(m.remaining() - 20);
        byte[] change = StunBytes.attribute(m, 0x0003);
        if (change != null) {
            assertThat(change).hasSize(4);
            assertThat(change[0] | change[1] | change[2]).isZero();
            assertThat(change[3] & ~0x06).isZero();
        }
        // FINGERPRINT is last: CRC-32 of everything before it, XOR 0x5354554E (RFC 8489 §14.7)
        int fp = m.remaining() - 8;
        assertThat(m.getShort(fp) & 0xFFFF).isEqualTo(0x8028);
        CRC32 crc = new CRC32();
        crc.update(m.array(), m.arrayOffset() + m.position(), fp);
        assertThat(m.getInt(fp + 4)).isEqualTo((int) crc.getValue() ^ 0x5354554E);
    }

    @Test
    void changeRequestEncodesChangeIpAs4AndChangePortAs2() {
        NatBehaviorDiscovery core = new NatBehaviorDiscovery(Discovery.FAST, ModelledNat.PRIMARY, ModelledNat.LOCAL);
        core.start(0);
        ByteBuffer testI = core.pollTransmit().orElseThrow().data();
        assertThat(StunBytes.attribute(testI, 0x0003)).isNull();
        core.handleInput(1, ModelledNat.PRIMARY, StunBytes.success(StunBytes.transactionId(testI))
                .xorMapped(new InetSocketAddress(ModelledNat.PUBLIC_IP, 1)).otherAddress(ModelledNat.OTHER).build());
        ByteBuffer filteringII = core.pollTransmit().orElseThrow().data();
        assertThat(StunBytes.attribute(filteringII, 0x0003)).containsExactly(0, 0, 0, 6);
        while (core.outcomes().size() < 2) {
            core.handleTimeout(core.pollTimeout());
        }
        ByteBuffer last = null;
        for (var t = core.pollTransmit(); t.isPresent(); t = core.pollTransmit()) {
            last = t.get().data();
        }
        assertThat(StunBytes.attribute(last, 0x0003)).containsExactly(0, 0, 0, 2);
    }

    @Test
    void otherAddressAndResponseOriginParseAndRoundTrip() throws Exception {
        // OTHER-ADDRESS 127.0.0.2:34782 and RESPONSE-ORIGIN 127.0.0.1:34781 as coturn 4.6.1 sent them
        AddressAttribute other = AddressAttribute.parseBody(AddressAttribute.OTHER_ADDRESS, Hex.decode("000187de7f000002"));
        assertThat(other.address()).isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 34782));
        AddressAttribute origin = AddressAttribute.parseBody(AddressAttribute.RESPONSE_ORIGIN, Hex.decode("000187dd7f000001"));
        assertThat(origin.address()).isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 34781));
        for (AddressAttribute a : new AddressAttribute[] {other, origin,
                new AddressAttribute(AddressAttribute.OTHER_ADDRESS, new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 3479))}) {
            ByteBuffer out = ByteBuffer.allocate(a.encodedLength());
            a.writeTo(out);
            assertThat(out.hasRemaining()).isFalse();
            byte[] wire = out.array();
            assertThat(((wire[0] & 0xFF) << 8) | (wire[1] & 0xFF)).isEqualTo(a.type());
            byte[] body = new byte[wire.length - 4];
            System.arraycopy(wire, 4, body, 0, body.length);
            assertThat(AddressAttribute.parseBody(a.type(), body)).isEqualTo(a);
        }
        assertThat(Hex.encode(ByteBuffer.allocate(12).put(encode(other)).array())).isEqualTo("802c0008000187de7f000002");
    }

    private static byte[] encode(AddressAttribute a) {
        ByteBuffer b = ByteBuffer.allocate(a.encodedLength());
        a.writeTo(b);
        return b.array();
    }

    @Test
    void malformedAddressBodiesAreNamedParseErrors() {
        assertParseError("0001", ParseError.INVALID_LENGTH);                       // truncated header
        assertParseError("000387de7f000002", ParseError.INVALID_VALUE);           // unknown family 3
        assertParseError("000187de7f0000", ParseError.INVALID_LENGTH);            // IPv4 address cut short
        assertParseError("000187de7f00000200", ParseError.INVALID_LENGTH);        // trailing byte
        assertParseError("000287de7f000002", ParseError.INVALID_LENGTH);          // IPv6 family, IPv4 length
    }

    private static void assertParseError(String hex, ParseError expected) {
        assertThatThrownBy(() -> AddressAttribute.parseBody(AddressAttribute.OTHER_ADDRESS, Hex.decode(hex)))
                .isInstanceOfSatisfying(ParseException.class, e -> assertThat(e.error()).isEqualTo(expected));
    }
}

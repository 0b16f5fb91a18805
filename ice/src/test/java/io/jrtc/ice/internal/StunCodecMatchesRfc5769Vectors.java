package io.jrtc.ice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.Hex;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.attribute.IceControlledAttribute;
import org.ice4j.attribute.NonceAttribute;
import org.ice4j.attribute.PriorityAttribute;
import org.ice4j.attribute.RealmAttribute;
import org.ice4j.attribute.SoftwareAttribute;
import org.ice4j.attribute.UsernameAttribute;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.junit.jupiter.api.Test;

/**
 * The STUN layer (ice4j decode + our framing scan + integrity/fingerprint) against the RFC 5769 test vectors, and
 * our encode path producing messages that verify.
 */
class StunCodecMatchesRfc5769Vectors {

    static final String PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";

    /** RFC 5769 §2.1 Sample Request. */
    static final byte[] REQUEST = Hex.decode("""
            00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
            00 24 00 04 6e 00 01 ff
            80 29 00 08 93 2f f9 b1 51 26 3b 36
            00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
            00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
            80 28 00 04 e5 7a 3b cf""");

    /** RFC 5769 §2.2 Sample IPv4 Response. */
    static final byte[] RESPONSE_V4 = Hex.decode("""
            01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
            00 20 00 08 00 01 a1 47 e1 12 a6 43
            00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
            80 28 00 04 c0 7d 4c 96""");

    /** RFC 5769 §2.3 Sample IPv6 Response. */
    static final byte[] RESPONSE_V6 = Hex.decode("""
            01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
            00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
            00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
            80 28 00 04 c8 fb 0b 4c""");

    /** RFC 5769 §2.4 Sample Request with Long-Term Authentication. */
    static final byte[] REQUEST_LONG_TERM = Hex.decode("""
            00 01 00 60 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e
            00 06 00 12 e3 83 9e e3 83 88 e3 83 aa e3 83 83 e3 82 af e3 82 b9 00 00
            00 15 00 1c 66 2f 2f 34 39 39 6b 39 35 34 64 36 4f 4c 33 34 6f 4c 39 46 53 54 76 79 36 34 73 41
            00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00
            00 08 00 14 f6 70 24 65 6d d6 4a 3e 02 b8 e0 71 2e 85 c9 a2 8c a8 96 66""");

    @Test
    void sampleRequestDecodesAndVerifies() {
        StunScan scan = StunScan.scan(REQUEST, REQUEST.length);
        assertThat(scan.ok()).isTrue();
        assertThat(scan.messageClass()).isEqualTo(Stun.CLASS_REQUEST);
        assertThat(scan.method()).isEqualTo(Stun.METHOD_BINDING);
        assertThat(scan.unknownRequired()).isEmpty();
        assertThat(Stun.verifyIntegrity(REQUEST, scan.miOffset(), Stun.shortTermKey(PASSWORD))).isTrue();
        assertThat(Stun.verifyIntegrity(REQUEST, scan.miOffset(), Stun.shortTermKey(PASSWORD + "x"))).isFalse();
        Message m = Stun.decode(REQUEST, REQUEST.length);
        assertThat(m).isNotNull();
        assertThat(new String(((UsernameAttribute) m.getAttribute(Attribute.USERNAME)).getUsername(), StandardCharsets.UTF_8)).isEqualTo("evtj:h6vY");
        assertThat(((PriorityAttribute) m.getAttribute(Attribute.PRIORITY)).getPriority()).isEqualTo(0x6e0001ffL);
        assertThat(((IceControlledAttribute) m.getAttribute(Attribute.ICE_CONTROLLED)).getTieBreaker()).isEqualTo(0x932ff9b151263b36L);
        assertThat(new String(((SoftwareAttribute) m.getAttribute(Attribute.SOFTWARE)).getSoftware(), StandardCharsets.UTF_8)).isEqualTo("STUN test client");
    }

    @Test
    void sampleIpv4ResponseDecodesAndVerifies() {
        StunScan scan = StunScan.scan(RESPONSE_V4, RESPONSE_V4.length);
        assertThat(scan.ok()).isTrue();
        assertThat(scan.messageClass()).isEqualTo(Stun.CLASS_SUCCESS);
        assertThat(Stun.verifyIntegrity(RESPONSE_V4, scan.miOffset(), Stun.shortTermKey(PASSWORD))).isTrue();
        Message m = Stun.decode(RESPONSE_V4, RESPONSE_V4.length);
        assertThat(Stun.xorAddress(m, Attribute.XOR_MAPPED_ADDRESS)).isEqualTo(new InetSocketAddress("192.0.2.1", 32853));
    }

    @Test
    void sampleIpv6ResponseDecodesAndVerifies() {
        StunScan scan = StunScan.scan(RESPONSE_V6, RESPONSE_V6.length);
        assertThat(scan.ok()).isTrue();
        assertThat(Stun.verifyIntegrity(RESPONSE_V6, scan.miOffset(), Stun.shortTermKey(PASSWORD))).isTrue();
        Message m = Stun.decode(RESPONSE_V6, RESPONSE_V6.length);
        assertThat(Stun.xorAddress(m, Attribute.XOR_MAPPED_ADDRESS))
                .isEqualTo(new InetSocketAddress("2001:db8:1234:5678:11:2233:4455:6677", 32853));
    }

    @Test
    void sampleLongTermRequestVerifiesWithTheMd5Key() {
        StunScan scan = StunScan.scan(REQUEST_LONG_TERM, REQUEST_LONG_TERM.length);
        assertThat(scan.ok()).isTrue();
        assertThat(scan.fpOffset()).isEqualTo(-1);
        String username = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";
        byte[] key = Stun.longTermKey(username, "example.org", "TheMatrIX");
        assertThat(Stun.verifyIntegrity(REQUEST_LONG_TERM, scan.miOffset(), key)).isTrue();
        assertThat(Stun.verifyIntegrity(REQUEST_LONG_TERM, scan.miOffset(), Stun.longTermKey(username, "example.org", "TheMatrix"))).isFalse();
        Message m = Stun.decode(REQUEST_LONG_TERM, REQUEST_LONG_TERM.length);
        assertThat(new String(((UsernameAttribute) m.getAttribute(Attribute.USERNAME)).getUsername(), StandardCharsets.UTF_8)).isEqualTo(username);
        assertThat(new String(((NonceAttribute) m.getAttribute(Attribute.NONCE)).getNonce(), StandardCharsets.US_ASCII)).isEqualTo("f//499k954d6OL34oL9FSTvy64sA");
        assertThat(new String(((RealmAttribute) m.getAttribute(Attribute.REALM)).getRealm(), StandardCharsets.US_ASCII)).isEqualTo("example.org");
    }

    @Test
    void ourEncodingOfTheSampleRequestVerifiesAndDecodesToTheSameAttributes() throws Exception {
        Message original = Stun.decode(REQUEST, REQUEST.length);
        Request r = MessageFactory.createBindingRequest();
        r.setTransactionID(original.getTransactionID());
        r.putAttribute(AttributeFactory.createSoftwareAttribute("STUN test client".getBytes(StandardCharsets.UTF_8)));
        r.putAttribute(AttributeFactory.createPriorityAttribute(0x6e0001ffL));
        r.putAttribute(AttributeFactory.createIceControlledAttribute(0x932ff9b151263b36L));
        r.putAttribute(AttributeFactory.createUsernameAttribute("evtj:h6vY"));
        ByteBuffer encoded = Stun.encode(r, Stun.shortTermKey(PASSWORD), true);
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        // Same layout as the vector (only padding bytes may differ: RFC 5769 pads USERNAME with spaces, we with zeros).
        assertThat(bytes).hasSize(REQUEST.length);
        assertThat(java.util.Arrays.copyOfRange(bytes, 0, 20)).isEqualTo(java.util.Arrays.copyOfRange(REQUEST, 0, 20));
        StunScan scan = StunScan.scan(bytes, bytes.length);
        assertThat(scan.ok()).isTrue();
        assertThat(scan.fpOffset()).isEqualTo(bytes.length - 8);
        assertThat(scan.miOffset()).isEqualTo(bytes.length - 32);
        assertThat(Stun.verifyIntegrity(bytes, scan.miOffset(), Stun.shortTermKey(PASSWORD))).isTrue();
        Message back = Stun.decode(bytes, bytes.length); // ice4j checks FINGERPRINT while decoding
        assertThat(back).isNotNull();
        assertThat(((PriorityAttribute) back.getAttribute(Attribute.PRIORITY)).getPriority()).isEqualTo(0x6e0001ffL);
        assertThat(((IceControlledAttribute) back.getAttribute(Attribute.ICE_CONTROLLED)).getTieBreaker()).isEqualTo(0x932ff9b151263b36L);
        // Changing one byte of the body breaks both checks.
        bytes[30] ^= 1;
        assertThat(StunScan.scan(bytes, bytes.length).status()).isEqualTo(io.jrtc.ice.IceDropReason.BAD_FINGERPRINT);
        assertThat(Stun.verifyIntegrity(bytes, scan.miOffset(), Stun.shortTermKey(PASSWORD))).isFalse();
    }

    @Test
    void ourLongTermEncodingVerifies() throws Exception {
        Request r = MessageFactory.createAllocateRequest((byte) 17, false);
        r.setTransactionID(Hex.decode("78ad3433c6ad72c0292a412e"));
        r.putAttribute(AttributeFactory.createUsernameAttribute("alice"));
        r.putAttribute(AttributeFactory.createRealmAttribute("jrtc.test".getBytes(StandardCharsets.UTF_8)));
        r.putAttribute(AttributeFactory.createNonceAttribute("abc".getBytes(StandardCharsets.UTF_8)));
        byte[] key = Stun.longTermKey("alice", "jrtc.test", "secret");
        assertThat(Hex.encode(key)).isEqualTo(Hex.encode(java.security.MessageDigest.getInstance("MD5")
                .digest("alice:jrtc.test:secret".getBytes(StandardCharsets.UTF_8))));
        ByteBuffer enc = Stun.encode(r, key, false);
        byte[] bytes = new byte[enc.remaining()];
        enc.get(bytes);
        StunScan scan = StunScan.scan(bytes, bytes.length);
        assertThat(scan.ok()).isTrue();
        assertThat(scan.method()).isEqualTo(Stun.METHOD_ALLOCATE);
        assertThat(Stun.verifyIntegrity(bytes, scan.miOffset(), key)).isTrue();
    }
}

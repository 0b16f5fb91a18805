package io.jrtc.ice.internal;

import static io.jrtc.ice.internal.StunCodecMatchesRfc5769Vectors.PASSWORD;
import static io.jrtc.ice.internal.StunCodecMatchesRfc5769Vectors.REQUEST;
import static io.jrtc.ice.internal.StunCodecMatchesRfc5769Vectors.REQUEST_LONG_TERM;
import static io.jrtc.ice.internal.StunCodecMatchesRfc5769Vectors.RESPONSE_V4;
import static io.jrtc.ice.internal.StunCodecMatchesRfc5769Vectors.RESPONSE_V6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.common.Hex;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.message.Response;
import org.junit.jupiter.api.Test;

/**
 * Our STUN encoder (header and attribute TLVs written by {@link Stun}, not by ice4j's {@code Message.encode}) against
 * the RFC 5769 vectors, byte for byte: header and length, attribute order and padding, and MESSAGE-INTEGRITY and
 * FINGERPRINT computed over the message with the length field adjusted as RFC 5389 §15.4 and §15.5 say. RFC 5769
 * pads with spaces in §2.1-2.3 and with zeros in §2.4, so the padding byte is the one thing the test chooses.
 */
class StunEncoderReproducesRfc5769VectorsByteForByte {

    private static final byte SPACE = 0x20;
    private static final byte[] TX_2_1 = Hex.decode("b7e7a701bc34d686fa87dfae");

    @Test
    void sampleRequestWithShortTermIntegrityAndFingerprint() throws Exception {
        Request r = MessageFactory.createBindingRequest();
        r.setTransactionID(TX_2_1);
        r.putAttribute(AttributeFactory.createSoftwareAttribute("STUN test client".getBytes(StandardCharsets.US_ASCII)));
        r.putAttribute(AttributeFactory.createPriorityAttribute(0x6e0001ffL));
        r.putAttribute(AttributeFactory.createIceControlledAttribute(0x932ff9b151263b36L));
        r.putAttribute(AttributeFactory.createUsernameAttribute("evtj:h6vY"));

        assertThat(bytes(Stun.encodeExactly(r, Stun.shortTermKey(PASSWORD), true, SPACE))).isEqualTo(REQUEST);
    }

    @Test
    void sampleIpv4ResponseWithShortTermIntegrityAndFingerprint() throws Exception {
        assertThat(bytes(Stun.encodeExactly(response(new InetSocketAddress("192.0.2.1", 32853)),
                Stun.shortTermKey(PASSWORD), true, SPACE))).isEqualTo(RESPONSE_V4);
    }

    @Test
    void sampleIpv6ResponseWithShortTermIntegrityAndFingerprint() throws Exception {
        assertThat(bytes(Stun.encodeExactly(response(new InetSocketAddress("2001:db8:1234:5678:11:2233:4455:6677", 32853)),
                Stun.shortTermKey(PASSWORD), true, SPACE))).isEqualTo(RESPONSE_V6);
    }

    @Test
    void sampleRequestWithLongTermIntegrityAndNoFingerprint() throws Exception {
        String username = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";
        Request r = MessageFactory.createBindingRequest();
        r.setTransactionID(Hex.decode("78ad3433c6ad72c029da412e"));
        r.putAttribute(AttributeFactory.createUsernameAttribute(username));
        r.putAttribute(AttributeFactory.createNonceAttribute("f//499k954d6OL34oL9FSTvy64sA".getBytes(StandardCharsets.US_ASCII)));
        r.putAttribute(AttributeFactory.createRealmAttribute("example.org".getBytes(StandardCharsets.US_ASCII)));

        byte[] key = Stun.longTermKey(username, "example.org", "TheMatrIX");
        assertThat(bytes(Stun.encodeExactly(r, key, false, (byte) 0))).isEqualTo(REQUEST_LONG_TERM);
    }

    @Test
    void thePublicEncoderPadsWithZerosAndAddsOurSoftwareLast() throws Exception {
        Request r = MessageFactory.createBindingRequest();
        r.setTransactionID(TX_2_1);
        r.putAttribute(AttributeFactory.createUsernameAttribute("evtj:h6vY"));

        byte[] out = bytes(Stun.encode(r, null, false));

        assertThat(out).isEqualTo(Hex.decode("""
                00 01 00 18 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
                00 06 00 09 65 76 74 6a 3a 68 36 76 59 00 00 00
                80 22 00 04 6a 72 74 63"""));
    }

    @Test
    void integrityOrFingerprintPutInTheMessageIsRefused() throws Exception {
        Request r = MessageFactory.createBindingRequest();
        r.setTransactionID(TX_2_1);
        r.putAttribute(AttributeFactory.createFingerprintAttribute());

        assertThatThrownBy(() -> Stun.encode(r, null, true)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Response response(InetSocketAddress mapped) throws Exception {
        Request request = MessageFactory.createBindingRequest();
        request.setTransactionID(TX_2_1);
        Response r = MessageFactory.createBindingResponse(request, Stun.ta(mapped));
        r.setTransactionID(TX_2_1);
        Attribute xor = r.removeAttribute(Attribute.XOR_MAPPED_ADDRESS);
        r.putAttribute(AttributeFactory.createSoftwareAttribute("test vector".getBytes(StandardCharsets.US_ASCII)));
        r.putAttribute(xor);
        assertThat(r.getAttributes()).extracting(Attribute::getAttributeType)
                .containsExactly(Attribute.SOFTWARE, Attribute.XOR_MAPPED_ADDRESS);
        return r;
    }

    private static byte[] bytes(ByteBuffer b) {
        return Arrays.copyOfRange(b.array(), b.arrayOffset() + b.position(), b.arrayOffset() + b.limit());
    }
}

package io.jrtc.datachannel.dcep;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;

/**
 * Jazzer target for the DCEP parser (RFC 8832 DATA_CHANNEL_OPEN and DATA_CHANNEL_ACK). Contract: any bytes either
 * parse or fail with {@link ParseException}; what parses encodes to at most the input's length and re-parses to an
 * equal message. Seeds: the RFC 8832 examples (reliable, partial reliability by count and by time, unordered, ACK).
 */
class FuzzedDcepMessagesParseOrFailWithParseException {

    @FuzzTest(maxDuration = "30s")
    void message(byte[] input) {
        DcepMessage m;
        try {
            m = DcepMessage.parse(ByteBuffer.wrap(input));
        } catch (ParseException e) {
            assertThat(e.error()).isNotNull();
            return;
        }
        assertThat(m.encodedLength()).isLessThanOrEqualTo(input.length);
        ByteBuffer out = m.encode();
        DcepMessage again;
        try {
            again = DcepMessage.parse(out);
        } catch (ParseException e) {
            throw new AssertionError("re-encoded DCEP message does not parse: " + m, e);
        }
        assertThat(again).isEqualTo(m);
    }
}

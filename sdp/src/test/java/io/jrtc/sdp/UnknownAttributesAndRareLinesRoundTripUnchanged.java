package io.jrtc.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Everything this module does not interpret (attributes, rare line types) survives byte for byte. */
class UnknownAttributesAndRareLinesRoundTripUnchanged {

    /** Every RFC 8866 line type, odd attribute spellings, and attributes nobody here knows. */
    private static final String RARE = String.join("\r\n",
            "v=0",
            "o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1",
            "s=Call to John Smith",
            "i=SDP Offer #1",
            "u=http://www.jdoe.example.com/home.html",
            "e=Jane Doe <jane@jdoe.example.com>",
            "e=second@example.com",
            "p=+1 617 555-6011",
            "c=IN IP4 198.51.100.1",
            "b=CT:128",
            "t=0 0",
            "t=3724394400 3724398000",
            "r=7d 1h 0 25h",
            "r=604800 3600 0 90000",
            "z=2882844526 -1h 2898848070 0",
            "k=prompt",
            "a=recvonly",
            "a=x-google-flag:conference",
            "a=msid-semantic: WMS",
            "a=empty-value:",
            "a=colons:a:b:c",
            "a=spaces:  two leading, trailing  ",
            "a=ice-lite",
            "m=audio 49170/2 RTP/AVP 0 8 97",
            "i=audio stream",
            "c=IN IP6 2001:db8::2",
            "b=AS:64",
            "b=TIAS:64000",
            "k=clear:secret",
            "a=rtpmap:97 iLBC/8000",
            "a=fmtp:97 mode=30",
            "a=ptime:20",
            "a=maxptime:60",
            "a=rtcp:53020 IN IP4 126.16.64.4",
            "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:d0RmdmcmVCspeEc3QGZiNWpVLFJhQX1cfHAwJSoj|2^20|1:32",
            "a=sendrecv:ignored-value",
            "a=ssrc:1 foo",
            "a=rid:hi send pt=97;max-width=1280",
            "a=simulcast:send hi;lo",
            "m=video 0 RTP/AVP 31",
            "m=text 11000 RTP/AVP 98",
            "a=rtpmap:98 t140/1000",
            "m=application 9 DTLS/SCTP 5000",
            "a=sctpmap:5000 webrtc-datachannel 1024",
            "");

    @Test
    void everyLineComesBackUnchanged() throws SdpParseException {
        SessionDescription sdp = SessionDescription.parse(RARE);
        assertThat(sdp.serialize()).isEqualTo(RARE);
        assertThat(SessionDescription.parse(sdp.serialize())).isEqualTo(sdp);
    }

    @Test
    void rareLinesAreModelled() throws SdpParseException {
        SessionDescription sdp = SessionDescription.parse(RARE);
        assertThat(sdp.origin().username()).isEqualTo("jdoe");
        assertThat(sdp.origin().sessionVersion()).isEqualTo(3724394405L);
        assertThat(sdp.information()).isEqualTo("SDP Offer #1");
        assertThat(sdp.uri()).isEqualTo("http://www.jdoe.example.com/home.html");
        assertThat(sdp.emails()).hasSize(2);
        assertThat(sdp.phones()).containsExactly("+1 617 555-6011");
        assertThat(sdp.bandwidths()).containsExactly(new Bandwidth("CT", 128));
        assertThat(sdp.timings()).hasSize(2);
        assertThat(sdp.timings().get(1).repeats()).containsExactly("7d 1h 0 25h", "604800 3600 0 90000");
        assertThat(sdp.timeZones()).isEqualTo("2882844526 -1h 2898848070 0");
        assertThat(sdp.key()).isEqualTo("prompt");
        assertThat(sdp.iceLite()).isTrue();

        assertThat(sdp.attributes()).contains(
                Attribute.of("x-google-flag", "conference"),
                Attribute.of("msid-semantic", " WMS"),
                Attribute.of("empty-value", ""),
                Attribute.of("colons", "a:b:c"),
                Attribute.of("spaces", "  two leading, trailing  "));
        assertThat(Attribute.of("empty-value", "")).isNotEqualTo(Attribute.flag("empty-value"));

        MediaDescription audio = sdp.media().get(0);
        assertThat(audio.numberOfPorts()).isEqualTo(2);
        assertThat(audio.information()).isEqualTo("audio stream");
        assertThat(audio.connection()).isEqualTo(new Connection("IN", "IP6", "2001:db8::2"));
        assertThat(audio.bandwidths()).containsExactly(new Bandwidth("AS", 64), new Bandwidth("TIAS", 64000));
        assertThat(audio.key()).isEqualTo("clear:secret");
        assertThat(audio.attribute("crypto").orElseThrow().value()).endsWith("|2^20|1:32");
        assertThat(audio.attributes("rid")).hasSize(1);
        assertThat(audio.direction()).as("value of a flag is ignored, the name counts").isEqualTo(Direction.SENDRECV);
        assertThat(audio.codecs()).extracting(RtpCodec::name).containsExactly("PCMU", "PCMA", "iLBC");
        assertThat(audio.ssrcs()).containsExactly(new Ssrc(1, "foo", null));

        assertThat(sdp.media().get(1).isRejected()).isTrue();
        assertThat(sdp.media().get(2).kind()).isEqualTo("text");
        MediaDescription oldDc = sdp.media().get(3);
        assertThat(oldDc.isDataChannel()).as("the pre-RFC 8841 form is a data channel section too").isTrue();
        assertThat(oldDc.sctpForm()).contains(SctpSdpForm.SCTPMAP);
        assertThat(oldDc.attribute("sctpmap")).contains(Attribute.of("sctpmap", "5000 webrtc-datachannel 1024"));
        assertThat(sdp.connectionFor(oldDc)).contains(new Connection("IN", "IP4", "198.51.100.1"));
    }

    @Test
    void attributesKeepTheirPlaceWhenATypedOneIsReplaced() throws SdpParseException {
        MediaDescription m = SessionDescription.parse(RARE).media().get(0);
        MediaDescription changed = m.withDirection(Direction.INACTIVE);
        List<Attribute> before = m.attributes();
        List<Attribute> after = changed.attributes();
        assertThat(after).hasSameSizeAs(before);
        int at = before.indexOf(new Attribute("sendrecv", "ignored-value"));
        assertThat(after.get(at)).isEqualTo(Attribute.flag("inactive"));
        for (int i = 0; i < before.size(); i++) {
            if (i != at) {
                assertThat(after.get(i)).isEqualTo(before.get(i));
            }
        }
    }
}

package io.jrtc.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.common.ParseError;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both SDP forms of a data channel section (RFC 8841 and the older {@code sctpmap} draft form) parse, expose the
 * SCTP port and max-message-size that apply, and serialise back byte for byte, from CRLF and from bare-LF input.
 */
class DataChannelSectionsInBothSdpFormsRoundTrip {

    /** Chromium before 2019 (M70-ish) wrote its data section like this; Pion and others still accept it. */
    static final String OLD_FORM = String.join("\r\n",
            "v=0",
            "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE data",
            "a=msid-semantic: WMS",
            "m=application 9 DTLS/SCTP 5000",
            "c=IN IP4 0.0.0.0",
            "a=ice-ufrag:4ZcD",
            "a=ice-pwd:2/1muCWoOi3uLifh0NuRHlmo",
            "a=ice-options:trickle",
            "a=fingerprint:sha-256 5B:76:8D:2C:45:19:85:5A:E1:55:7B:9E:C7:2E:20:4C:56:3F:58:91:6A:1C:0A:0B:9F:16:2E:5A:34:C1:F0:8B",
            "a=setup:actpass",
            "a=mid:data",
            "a=sctpmap:5000 webrtc-datachannel 1024",
            "");

    static final String NEW_FORM_TCP_NO_MAX = String.join("\r\n",
            "v=0",
            "o=- 1 1 IN IP4 0.0.0.0",
            "s=-",
            "t=0 0",
            "m=application 9 TCP/DTLS/SCTP webrtc-datachannel",
            "c=IN IP4 0.0.0.0",
            "a=mid:0",
            "a=sctp-port:5001",
            "");

    @Test
    void oldFormIsADataChannelSectionWhosePortComesFromTheSctpmap() throws SdpParseException {
        MediaDescription m = SessionDescription.parse(OLD_FORM).media().get(0);
        assertThat(m.isDataChannel()).isTrue();
        assertThat(m.sctpForm()).contains(SctpSdpForm.SCTPMAP);
        assertThat(m.proto()).isEqualTo(MediaDescription.PROTO_LEGACY_DTLS_SCTP);
        assertThat(m.formats()).containsExactly("5000");
        assertThat(m.sctpMap()).contains(new SctpMap(5000, "webrtc-datachannel", 1024));
        assertThat(m.sctpPort()).as("no a=sctp-port in the old form").isEqualTo(OptionalInt.empty());
        assertThat(m.sctpPortOrDefault()).isEqualTo(5000);
        assertThat(m.maxMessageSize()).as("absent: RFC 8841's 64 KiB default is the caller's").isEqualTo(OptionalLong.empty());
    }

    @Test
    void oldFormRoundTripsByteExactFromCrlfAndFromLf() throws SdpParseException {
        assertThat(SessionDescription.parse(OLD_FORM).serialize()).isEqualTo(OLD_FORM);
        String lf = OLD_FORM.replace("\r\n", "\n");
        SessionDescription fromLf = SessionDescription.parse(lf);
        assertThat(fromLf.serialize()).as("LF input is written back with CRLF").isEqualTo(OLD_FORM);
        assertThat(fromLf).isEqualTo(SessionDescription.parse(OLD_FORM));
    }

    @Test
    void oldFormWithAnotherPortUsesThatPort() throws SdpParseException {
        String other = OLD_FORM.replace("DTLS/SCTP 5000", "DTLS/SCTP 5002").replace("sctpmap:5000", "sctpmap:5002");
        MediaDescription m = SessionDescription.parse(other).media().get(0);
        assertThat(m.sctpForm()).contains(SctpSdpForm.SCTPMAP);
        assertThat(m.sctpPortOrDefault()).isEqualTo(5002);
    }

    @Test
    void anSctpmapForAnotherProtocolOrAnotherPortIsNotADataChannel() throws SdpParseException {
        String bfcp = OLD_FORM.replace("webrtc-datachannel 1024", "bfcp 2");
        assertThat(SessionDescription.parse(bfcp).media().get(0).isDataChannel()).isFalse();
        String mismatch = OLD_FORM.replace("sctpmap:5000", "sctpmap:6000");
        MediaDescription m = SessionDescription.parse(mismatch).media().get(0);
        assertThat(m.isDataChannel()).as("the sctpmap must name the m= line's format").isFalse();
        assertThat(m.sctpMap()).isEmpty();
    }

    @Test
    void tcpProtoAndMissingMaxMessageSizeAreAcceptedInTheNewForm() throws SdpParseException {
        MediaDescription m = SessionDescription.parse(NEW_FORM_TCP_NO_MAX).media().get(0);
        assertThat(m.sctpForm()).contains(SctpSdpForm.SCTP_PORT);
        assertThat(m.proto()).isEqualTo(MediaDescription.PROTO_TCP_DTLS_SCTP);
        assertThat(m.sctpPortOrDefault()).isEqualTo(5001);
        assertThat(m.maxMessageSize()).isEmpty();
        assertThat(SessionDescription.parse(NEW_FORM_TCP_NO_MAX).serialize()).isEqualTo(NEW_FORM_TCP_NO_MAX);
        String noPort = NEW_FORM_TCP_NO_MAX.replace("a=sctp-port:5001\r\n", "");
        assertThat(SessionDescription.parse(noPort).media().get(0).sctpPortOrDefault()).isEqualTo(5000);
    }

    @Test
    void capturedChromiumAndWeriftSectionsAreTheNewForm() {
        for (String file : Captures.SDP_FILES) {
            SessionDescription d = Captures.parse(file);
            List<MediaDescription> data = d.media().stream().filter(MediaDescription::isDataChannel).toList();
            assertThat(data).as(file).hasSize(1);
            assertThat(data.get(0).sctpForm()).as(file).contains(SctpSdpForm.SCTP_PORT);
            assertThat(data.get(0).sctpMap()).as(file).isEmpty();
        }
    }

    @Test
    void theOldFormBuilderWritesWhatChromiumWrote() {
        MediaDescription built = MediaDescription.dataChannelSctpmap("data", 5000, 1024);
        assertThat(built.toString()).isEqualTo(String.join("\r\n",
                "m=application 9 DTLS/SCTP 5000",
                "c=IN IP4 0.0.0.0",
                "a=mid:data",
                "a=sctpmap:5000 webrtc-datachannel 1024",
                ""));
        assertThat(built.sctpForm()).contains(SctpSdpForm.SCTPMAP);
        assertThat(MediaDescription.dataChannelSctpmap(null, 5000, 1024).mid()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "5000 webrtc-datachannel 1024 | 5000 | webrtc-datachannel | 1024",
        "5000 webrtc-datachannel 65535 | 5000 | webrtc-datachannel | 65535",
        "5000 webrtc-datachannel | 5000 | webrtc-datachannel | -1",
        "0 bfcp 2 | 0 | bfcp | 2"})
    void sctpmapParsesAndWritesTheSameText(String value, int number, String protocol, int streams)
            throws SdpParseException {
        SctpMap s = SctpMap.parse(value);
        assertThat(s).isEqualTo(new SctpMap(number, protocol, streams));
        assertThat(s.toAttributeValue()).isEqualTo(value);
        assertThat(s.toAttribute()).isEqualTo(new Attribute("sctpmap", value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5000", "5000 webrtc-datachannel 1024 extra"})
    void sctpmapWithTooFewOrTooManyFieldsIsInvalidLength(String value) {
        assertThatThrownBy(() -> SctpMap.parse(value)).isInstanceOfSatisfying(SdpParseException.class,
                e -> assertThat(e.error()).isEqualTo(ParseError.INVALID_LENGTH));
    }

    @ParameterizedTest
    @ValueSource(strings = {"65536 webrtc-datachannel", "x webrtc-datachannel", "5000 webrtc-datachannel 70000",
        "5000 webrtc-datachannel -1", "-5 webrtc-datachannel"})
    void sctpmapWithABadNumberIsInvalidValue(String value) {
        assertThatThrownBy(() -> SctpMap.parse(value)).isInstanceOfSatisfying(SdpParseException.class,
                e -> assertThat(e.error()).isEqualTo(ParseError.INVALID_VALUE));
    }

    @Test
    void aDescriptionWithAMalformedSctpmapIsRejectedWithItsLine() {
        String bad = OLD_FORM.replace("sctpmap:5000 webrtc-datachannel 1024", "sctpmap:five webrtc-datachannel");
        assertThatThrownBy(() -> SessionDescription.parse(bad)).isInstanceOfSatisfying(SdpParseException.class, e -> {
            assertThat(e.error()).isEqualTo(ParseError.INVALID_VALUE);
            assertThat(e.lineNumber()).isEqualTo(15);
            assertThat(e.line()).isEqualTo("a=sctpmap:five webrtc-datachannel");
        });
    }
}

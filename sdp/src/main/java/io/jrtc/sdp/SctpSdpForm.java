package io.jrtc.sdp;

import io.jrtc.sdp.internal.Syntax;
import java.util.Locale;
import java.util.Optional;

/**
 * The two SDP forms of a data channel section that real peers write. jrtc reads both and answers in the
 * offerer's form (see {@code peer}).
 *
 * <ul>
 *   <li>{@link #SCTP_PORT} (RFC 8841 sections 4.1, 5 and 6, what current browsers write):
 *       {@code m=application 9 UDP/DTLS/SCTP webrtc-datachannel}, {@code a=sctp-port:5000},
 *       {@code a=max-message-size:262144}. The proto may also be {@code TCP/DTLS/SCTP} (the default
 *       candidate is TCP) or {@code DTLS/SCTP}.</li>
 *   <li>{@link #SCTPMAP} (draft-ietf-mmusic-sctp-sdp up to -05, Chromium until 2019 and stacks built on
 *       it): {@code m=application 9 DTLS/SCTP 5000}, {@code a=sctpmap:5000 webrtc-datachannel 1024}; the
 *       format is the SCTP port, and {@code a=max-message-size} is optional.</li>
 * </ul>
 *
 * <p>In both, a missing {@code a=max-message-size} means 65,536 bytes (RFC 8841 section 6.1), and a
 * missing {@code a=sctp-port} means 5000 (RFC 8841 section 5.1).
 */
public enum SctpSdpForm {
    /** RFC 8841: format {@code webrtc-datachannel}, port in {@code a=sctp-port}. */
    SCTP_PORT,
    /** The draft form: format = the SCTP port, {@code a=sctpmap:<port> webrtc-datachannel [<streams>]}. */
    SCTPMAP;

    /** The form of a data channel m-section, or empty when {@code m} is not one. */
    static Optional<SctpSdpForm> of(MediaDescription m) {
        if (!m.isApplication() || !m.proto().toUpperCase(Locale.ROOT).endsWith("SCTP")) {
            return Optional.empty();
        }
        if (m.formats().contains(MediaDescription.FORMAT_DATACHANNEL)) {
            return Optional.of(SCTP_PORT);
        }
        return sctpMapOf(m).filter(SctpMap::isDataChannel).map(s -> SCTPMAP);
    }

    /** The {@code a=sctpmap} whose number is the first format of {@code m} (the draft form's SCTP port). */
    static Optional<SctpMap> sctpMapOf(MediaDescription m) {
        long port = Syntax.unsigned(m.formats().get(0), 65535);
        if (port < 0) {
            return Optional.empty();
        }
        for (SctpMap s : AttributeLists.parsed(m.attributes(), SctpMap.NAME, SctpMap::parse)) {
            if (s.number() == port) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}

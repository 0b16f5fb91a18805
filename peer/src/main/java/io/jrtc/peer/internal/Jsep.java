package io.jrtc.peer.internal;

import io.jrtc.sdp.Attribute;
import io.jrtc.sdp.Candidate;
import io.jrtc.sdp.FingerprintAttribute;
import io.jrtc.sdp.Group;
import io.jrtc.sdp.MediaDescription;
import io.jrtc.sdp.Origin;
import io.jrtc.sdp.SctpSdpForm;
import io.jrtc.sdp.SessionDescription;
import io.jrtc.sdp.Setup;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * JSEP (RFC 9429) offer and answer construction, and extraction of the remote transport parameters, for one BUNDLEd
 * transport (RFC 9143): every m-section shares the ICE credentials, the DTLS fingerprint and setup role, and the
 * candidates, which go only into the BUNDLE-tagged (first accepted) m-section. Pure functions: no state, no I/O.
 */
public final class Jsep {

    private Jsep() {
    }

    /** What every m-section of a local description carries about the shared transport. */
    public record LocalTransport(String ufrag, String pwd, List<FingerprintAttribute> fingerprints, Setup setup,
            List<Candidate> candidates, boolean endOfCandidates) {
        public LocalTransport {
            fingerprints = List.copyOf(fingerprints);
            candidates = List.copyOf(candidates);
        }
    }

    /**
     * The remote side's shared transport, read from its BUNDLE-tagged m-section. {@code trickle} is whether it
     * announced {@code a=ice-options:trickle} (RFC 8840 section 4.1.1): a peer that did not gives every candidate in
     * the description and never signals end-of-candidates.
     */
    public record RemoteTransport(String ufrag, String pwd, List<FingerprintAttribute> fingerprints, Setup setup,
            List<Candidate> candidates, boolean endOfCandidates, boolean iceLite, boolean trickle, String tagMid,
            int tagIndex) {
    }

    /**
     * The remote data channel m-section, if any: its form and proto (which our answer repeats), the remote SCTP port
     * ({@code a=sctp-port}, or the {@code a=sctpmap} number of the draft form, else 5000), and its
     * {@code a=max-message-size} (RFC 8841 section 6.1: 65,536 when absent; 0 is "no limit").
     */
    public record RemoteData(String mid, int mLineIndex, SctpSdpForm form, String proto, int sctpPort,
            long maxMessageSize, boolean maxMessageSizeGiven) {
    }

    /** RFC 8841 section 6.1: the max-message-size that applies when the peer writes none. */
    public static final long DEFAULT_REMOTE_MAX_MESSAGE_SIZE = 65536;

    /**
     * An offer: the given m-sections (already holding their media-specific attributes and a mid) in order, each given
     * the shared transport attributes, with one BUNDLE group over all of them; rejected (port 0) sections are kept
     * as they are and left out of the group.
     */
    public static SessionDescription offer(Origin origin, LocalTransport transport, List<MediaDescription> sections) {
        if (sections.isEmpty()) {
            throw new IllegalStateException("an offer needs at least one m-section (create a data channel first)");
        }
        SessionDescription.Builder b = SessionDescription.builder(origin);
        List<String> mids = new ArrayList<>();
        for (MediaDescription m : sections) {
            String mid = m.mid().orElseThrow(() -> new IllegalArgumentException("m-section without mid"));
            if (!m.isRejected()) {
                mids.add(mid);
            }
        }
        if (mids.isEmpty()) {
            throw new IllegalStateException("an offer needs at least one m-section that is not rejected");
        }
        b.bundle(mids);
        b.addAttribute(new Attribute("extmap-allow-mixed", null));
        b.addAttribute(new Attribute("msid-semantic", " WMS"));
        boolean first = true;
        for (MediaDescription m : sections) {
            if (m.isRejected()) {
                // RFC 9429 section 5.2.2: a rejected m-section keeps its place, with port 0 and outside the group.
                b.addMedia(m);
                continue;
            }
            b.addMedia(withTransport(m, transport, first));
            first = false;
        }
        return b.build();
    }

    /**
     * An answer to {@code offer}: {@code answerSection} maps each offered m-section (and its index) to our answering
     * m-section (holding its mid and media-specific attributes, without transport attributes), or to null to reject it
     * with port 0. Accepted sections form the BUNDLE group, in offer order.
     */
    public static SessionDescription answer(Origin origin, LocalTransport transport, SessionDescription offer,
            BiFunction<Integer, MediaDescription, MediaDescription> answerSection) {
        SessionDescription.Builder b = SessionDescription.builder(origin);
        List<MediaDescription> out = new ArrayList<>();
        List<String> bundle = new ArrayList<>();
        boolean first = true;
        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription offered = offer.media().get(i);
            MediaDescription ours = offered.isRejected() ? null : answerSection.apply(i, offered);
            if (ours == null) {
                out.add(offered.rejected());
                continue;
            }
            out.add(withTransport(ours, transport, first));
            ours.mid().ifPresent(bundle::add);
            first = false;
        }
        if (!bundle.isEmpty()) {
            b.bundle(bundle);
        }
        if (offer.extmapAllowMixed()) {
            b.addAttribute(new Attribute("extmap-allow-mixed", null));
        }
        b.addAttribute(new Attribute("msid-semantic", " WMS"));
        out.forEach(b::addMedia);
        return b.build();
    }

    private static final java.util.Set<String> TRANSPORT_ATTRIBUTES = java.util.Set.of(
            "mid", "ice-ufrag", "ice-pwd", "ice-options", "fingerprint", "setup", "candidate", "end-of-candidates");

    /**
     * Adds ICE, DTLS and (for the tagged section) candidate attributes to an m-section, replacing any it had. Order is
     * browser-like: mid, transport attributes, then the section's own attributes, then candidates.
     */
    public static MediaDescription withTransport(MediaDescription m, LocalTransport t, boolean tagged) {
        MediaDescription.Builder b = m.toBuilder().attributes(List.of());
        m.mid().ifPresent(b::mid);
        b.iceCredentials(t.ufrag(), t.pwd()).iceOptions("trickle");
        t.fingerprints().forEach(b::fingerprint);
        b.setup(t.setup());
        for (Attribute a : m.attributes()) {
            if (!TRANSPORT_ATTRIBUTES.contains(a.name())) {
                b.addAttribute(a);
            }
        }
        if (tagged) {
            t.candidates().forEach(b::addCandidate);
            if (t.endOfCandidates()) {
                b.endOfCandidates();
            }
        }
        return b.build();
    }

    /**
     * {@code d} (one of our descriptions) with {@code candidates} added to its tagged (first accepted) m-section where
     * missing, and end-of-candidates when {@code complete}; unchanged when that section's ufrag is not {@code ufrag}
     * (the candidates belong to another ICE generation).
     */
    public static SessionDescription withCandidates(SessionDescription d, String ufrag, List<Candidate> candidates,
            boolean complete) {
        for (int i = 0; i < d.media().size(); i++) {
            MediaDescription m = d.media().get(i);
            if (m.isRejected()) {
                continue;
            }
            if (!d.iceUfragFor(m).map(ufrag::equals).orElse(false)) {
                return d;
            }
            java.util.Set<String> present = new java.util.HashSet<>();
            m.candidates().forEach(c -> present.add(c.toAttributeValue()));
            MediaDescription.Builder b = m.toBuilder();
            boolean changed = false;
            for (Candidate c : candidates) {
                if (!present.contains(c.toAttributeValue())) {
                    b.addCandidate(c);
                    changed = true;
                }
            }
            if (complete && !m.endOfCandidates()) {
                b.endOfCandidates();
                changed = true;
            }
            return changed ? d.withMedia(i, b.build()) : d;
        }
        return d;
    }

    /**
     * The remote transport parameters from its BUNDLE-tagged m-section (the first mid of the first BUNDLE group), or
     * from its first accepted m-section when it does not bundle.
     *
     * @throws InvalidDescriptionException when ICE credentials or a usable fingerprint are missing
     */
    public static RemoteTransport remoteTransport(SessionDescription d) throws InvalidDescriptionException {
        int tag = -1;
        for (Group g : d.bundleGroups()) {
            if (!g.mids().isEmpty()) {
                for (int i = 0; i < d.media().size(); i++) {
                    if (d.media().get(i).mid().map(g.mids().get(0)::equals).orElse(false)) {
                        tag = i;
                        break;
                    }
                }
                break;
            }
        }
        if (tag < 0) {
            for (int i = 0; i < d.media().size(); i++) {
                if (!d.media().get(i).isRejected()) {
                    tag = i;
                    break;
                }
            }
        }
        if (tag < 0) {
            throw new InvalidDescriptionException("the description has no accepted m-section");
        }
        MediaDescription m = d.media().get(tag);
        String ufrag = d.iceUfragFor(m).orElseThrow(() -> new InvalidDescriptionException("no a=ice-ufrag in m-section " + m.mid().orElse("#" + 0)));
        String pwd = d.icePwdFor(m).orElseThrow(() -> new InvalidDescriptionException("no a=ice-pwd in m-section " + m.mid().orElse("?")));
        List<FingerprintAttribute> fps = d.fingerprintsFor(m);
        if (fps.isEmpty()) {
            throw new InvalidDescriptionException("no a=fingerprint: DTLS needs the peer's certificate fingerprint (RFC 8122)");
        }
        Setup setup = d.setupFor(m).orElse(null);
        List<Candidate> candidates = new ArrayList<>();
        for (Candidate c : m.candidates()) {
            if (c.component() == 1) {
                candidates.add(c);
            }
        }
        boolean trickle = d.iceOptionsFor(m).stream().anyMatch("trickle"::equalsIgnoreCase);
        return new RemoteTransport(ufrag, pwd, fps, setup, candidates, m.endOfCandidates(), d.iceLite(), trickle,
                m.mid().orElse(null), tag);
    }

    /** The remote data channel m-section (the first accepted one, in either SDP form), or null. */
    public static RemoteData remoteData(SessionDescription d) {
        for (int i = 0; i < d.media().size(); i++) {
            MediaDescription m = d.media().get(i);
            if (m.isDataChannel() && !m.isRejected()) {
                return new RemoteData(m.mid().orElse(null), i, m.sctpForm().orElseThrow(), m.proto(),
                        m.sctpPortOrDefault(), m.maxMessageSize().orElse(DEFAULT_REMOTE_MAX_MESSAGE_SIZE),
                        m.maxMessageSize().isPresent());
            }
        }
        return null;
    }

    /**
     * Our answer to an offered data channel section, in the offerer's form (the mid, when the offer has none, is
     * left out as well). The proto is the offer's (RFC 9429 section 5.3.1: {@code UDP/DTLS/SCTP},
     * {@code TCP/DTLS/SCTP} or {@code DTLS/SCTP}).
     * <ul>
     *   <li>RFC 8841 form: {@code <proto> webrtc-datachannel}, {@code a=sctp-port}, {@code a=max-message-size};</li>
     *   <li>draft form: {@code <proto> <sctpPort>}, {@code a=sctpmap:<sctpPort> webrtc-datachannel <streams>}, and
     *       {@code a=max-message-size} only when the offer had one (a stack that writes the draft form may know no
     *       other attribute).</li>
     * </ul>
     */
    public static MediaDescription dataAnswer(MediaDescription offered, int sctpPort, int streams, long maxMessageSize) {
        String mid = offered.mid().orElse(null);
        MediaDescription.Builder b;
        if (offered.sctpForm().orElse(SctpSdpForm.SCTP_PORT) == SctpSdpForm.SCTPMAP) {
            b = MediaDescription.dataChannelSctpmap(mid, sctpPort, streams).toBuilder();
            if (offered.maxMessageSize().isPresent()) {
                b.maxMessageSize(maxMessageSize);
            }
        } else {
            b = MediaDescription.dataChannel("0", sctpPort, maxMessageSize).toBuilder();
            if (mid == null) {
                b.removeAttributes("mid");
            } else {
                b.mid(mid);
            }
        }
        return b.proto(offered.proto()).build();
    }

    /** A description the remote sent that jrtc cannot use. */
    public static final class InvalidDescriptionException extends Exception {
        public InvalidDescriptionException(String message) {
            super(message);
        }
    }
}

package io.jrtc.peer;

import io.jrtc.common.DtlsRole;
import io.jrtc.dtls.Fingerprint;
import io.jrtc.ice.IceCandidate;
import io.jrtc.ice.IceConnectionState;
import io.jrtc.ice.IceCredentials;
import io.jrtc.ice.IceGatheringState;
import io.jrtc.ice.IceRole;
import io.jrtc.peer.internal.Candidates;
import io.jrtc.peer.internal.Jsep;
import io.jrtc.peer.internal.media.MediaEngine;
import io.jrtc.peer.internal.media.Transceiver;
import io.jrtc.peer.media.MediaKind;
import io.jrtc.peer.media.RtpTransceiver;
import io.jrtc.sctp.SctpConfig;
import io.jrtc.sdp.Candidate;
import io.jrtc.sdp.FingerprintAttribute;
import io.jrtc.sdp.MediaDescription;
import io.jrtc.sdp.Origin;
import io.jrtc.sdp.SdpParseException;
import io.jrtc.sdp.SessionDescription;
import io.jrtc.sdp.Setup;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSEP (RFC 9429) for one {@link PeerConnection}: the offer and answer it creates, the local and remote descriptions
 * (pending and current) and the signaling state transitions they make, ICE credentials and restarts, trickled
 * candidates both ways (local ones announced once a local description is set; remote ones queued until the remote
 * description), the data m-section, and what a completed negotiation hands to the {@link PeerEdge}: the DTLS role,
 * the remote fingerprints, the SCTP port, the media parameters. Loop-confined; the façade hops onto the loop first.
 */
final class Negotiation {

    /** The façade's logger: the lines a connection logs keep their name whichever part writes them. */
    private static final Logger LOG = LoggerFactory.getLogger(PeerConnection.class);

    private final PeerConnection pc;
    private final PeerEdge edge;
    private final TransportCore core;
    private final MediaEngine media;
    private final String logId;

    private long sessionVersion = 1;
    private SessionDescription currentLocal;
    /** Whether {@link #currentLocal} was our offer (else our answer); the remote one is the other kind. */
    private boolean currentLocalIsOffer;
    private SessionDescription pendingLocal;
    private SessionDescription currentRemote;
    private SessionDescription pendingRemote;
    private SessionDescription lastCreatedOffer;
    private SessionDescription lastCreatedAnswer;

    private String dataMid;
    private int dataMLineIndex = -1;
    /** Whether the application created a data channel (so offers carry a data m-section even with media). */
    private boolean dataChannelRequested;
    private boolean gatheringStarted;
    /** Gathering events are announced once a local description is set; before, they wait here. */
    private boolean announceGathering;
    private final List<Runnable> heldGatheringEvents = new ArrayList<>();
    private final List<Candidate> localCandidates = new ArrayList<>();
    private boolean localEndOfCandidates;
    private IceCredentials localCredentials;
    private IceCredentials offeredRestartCredentials;
    private boolean restartRequested;
    private String remoteUfrag;
    private String remotePwd;
    private boolean remoteEndOfCandidates;
    private final ArrayDeque<RtcIceCandidate> queuedRemoteCandidates = new ArrayDeque<>(2); // grows; empty once described

    Negotiation(PeerConnection pc, PeerEdge edge) {
        this.pc = pc;
        this.edge = edge;
        this.core = edge.core;
        this.media = core.media;
        this.logId = pc.logId();
        this.localCredentials = edge.localIceCredentials();
    }

    // =====================================================================================================
    // Offer and answer
    // =====================================================================================================

    RtcSessionDescription createOffer(boolean iceRestart) {
        RtcSignalingState signalingState = pc.signalingState();
        if (signalingState != RtcSignalingState.STABLE && signalingState != RtcSignalingState.HAVE_LOCAL_OFFER) {
            throw new PeerConnectionException.InvalidState("createOffer in signaling state " + signalingState);
        }
        boolean restart = iceRestart || restartRequested
                || pc.iceConnectionState() == IceConnectionState.FAILED && currentRemote != null;
        IceCredentials creds = localCredentials;
        if (restart && currentRemote != null) {
            creds = offeredRestartCredentials != null ? offeredRestartCredentials : IceCredentials.random(PeerConnection.RANDOM);
            offeredRestartCredentials = creds;
        }
        List<MediaDescription> sections = offerSections();
        boolean freshCreds = creds != localCredentials;
        Jsep.LocalTransport t = new Jsep.LocalTransport(creds.ufrag(), creds.pwd(), List.of(fingerprintAttribute()),
                Setup.ACTPASS, freshCreds ? List.of() : localCandidates, !freshCreds && localEndOfCandidates);
        SessionDescription offer = Jsep.offer(nextOrigin(), t, sections);
        lastCreatedOffer = offer;
        return RtcSessionDescription.offer(offer.serialize());
    }

    RtcSessionDescription createAnswer() {
        RtcSignalingState signalingState = pc.signalingState();
        if (signalingState != RtcSignalingState.HAVE_REMOTE_OFFER && signalingState != RtcSignalingState.HAVE_LOCAL_PRANSWER) {
            throw new PeerConnectionException.InvalidState("createAnswer in signaling state " + signalingState);
        }
        SessionDescription offer = pendingRemote;
        // RFC 5763 §5 / RFC 8842: answer actpass with active (we become the DTLS client, as browsers do); once DTLS
        // runs, keep the role it has in every later answer.
        DtlsRole dtlsRole = core.dtlsRole();
        Setup setup = dtlsRole != null ? setupFor(dtlsRole) : Setup.answerFor(remoteSetup(offer));
        Jsep.LocalTransport t = new Jsep.LocalTransport(localCredentials.ufrag(), localCredentials.pwd(),
                List.of(fingerprintAttribute()), setup, localCandidates, localEndOfCandidates);
        SessionDescription answer = Jsep.answer(nextOrigin(), t, offer, (index, m) -> {
            if (m.isDataChannel() && index == dataMLineIndex) {
                // In the offerer's SDP form and proto (RFC 8841 or the sctpmap draft form; see Jsep.dataAnswer).
                SctpConfig sc = core.sctp.association().config();
                return Jsep.dataAnswer(m, sc.localPort(), sc.maxInboundStreams(), pc.config().maxMessageSize());
            }
            if (MediaKind.fromSdp(m.kind()) != null && MediaDescription.PROTO_RTP_SAVPF.equals(m.proto())) {
                return media.answerSection(m);
            }
            LOG.debug("{}: rejecting m-section {} ({}): not supported", logId, index, m.kind());
            return null;
        });
        lastCreatedAnswer = answer;
        return RtcSessionDescription.answer(answer.serialize());
    }

    /** Candidates that came before the remote description wait; else the candidate goes to ICE. */
    void addIceCandidate(RtcIceCandidate candidate, ConnectionLimits limits) {
        if (remoteUfrag == null) {
            limits.checkQueuedCandidate(queuedRemoteCandidates.size());
            queuedRemoteCandidates.add(candidate);
            return;
        }
        if (!candidate.isEndOfCandidates()) {
            limits.checkTrickledCandidate(remoteUfrag);
        }
        applyRemoteCandidate(candidate);
    }

    /** The application created a data channel; true for the first one before any data m-section (negotiation needed). */
    boolean dataChannelCreated() {
        boolean first = dataMid == null && !dataChannelRequested;
        dataChannelRequested = true;
        return first;
    }

    /** W3C {@code restartIce}: the next offer gets new credentials. */
    void requestRestart() {
        restartRequested = true;
    }

    Optional<RtcSessionDescription> localDescription() {
        return pendingLocal != null
                ? describe(withGathered(pendingLocal), pc.signalingState() == RtcSignalingState.HAVE_LOCAL_OFFER ? RtcSdpType.OFFER : RtcSdpType.PRANSWER)
                : describe(withGathered(currentLocal), currentLocalIsOffer ? RtcSdpType.OFFER : RtcSdpType.ANSWER);
    }

    Optional<RtcSessionDescription> remoteDescription() {
        return pendingRemote != null
                ? describe(pendingRemote, pc.signalingState() == RtcSignalingState.HAVE_REMOTE_OFFER ? RtcSdpType.OFFER : RtcSdpType.PRANSWER)
                : describe(currentRemote, currentLocalIsOffer ? RtcSdpType.ANSWER : RtcSdpType.OFFER);
    }

    /** {@code d} with our current candidates (and end-of-candidates) in its tagged m-section, if its ufrag is current. */
    private SessionDescription withGathered(SessionDescription d) {
        if (d == null) {
            return null;
        }
        return Jsep.withCandidates(d, localCredentials.ufrag(), localCandidates, localEndOfCandidates);
    }

    /** What the connect timeout's WARN line says the remote did. */
    String remoteSeen() {
        return remoteUfrag == null ? "no remote description (" + queuedRemoteCandidates.size() + " candidates queued)"
                : edge.rtc.iceStats().pairs().size() + " candidate pairs";
    }

    // =====================================================================================================
    // Descriptions
    // =====================================================================================================

    void applyLocal(RtcSessionDescription d) {
        SessionDescription sdp = parse(d, "local");
        RtcSignalingState signalingState = pc.signalingState();
        switch (d.type()) {
            case OFFER -> {
                if (signalingState != RtcSignalingState.STABLE && signalingState != RtcSignalingState.HAVE_LOCAL_OFFER) {
                    throw new PeerConnectionException.InvalidState("setLocalDescription(offer) in state " + signalingState);
                }
                if (lastCreatedOffer == null || !lastCreatedOffer.serialize().equals(sdp.serialize())) {
                    throw new PeerConnectionException.InvalidModification("the local offer must be the one createOffer returned");
                }
                // Equal text: keep one of the two trees (an idle connection holds each description once).
                lastCreatedOffer = sdp;
                pendingLocal = sdp;
                if (currentRemote == null) {
                    setIceRole(IceRole.CONTROLLING);
                }
                String ufrag = sdp.iceUfragFor(sdp.media().get(0)).orElseThrow();
                if (!ufrag.equals(localCredentials.ufrag())) {
                    restartLocalIce(new IceCredentials(ufrag, sdp.icePwdFor(sdp.media().get(0)).orElseThrow()));
                }
                pc.setSignalingState(RtcSignalingState.HAVE_LOCAL_OFFER);
            }
            case ANSWER, PRANSWER -> {
                if (signalingState != RtcSignalingState.HAVE_REMOTE_OFFER && signalingState != RtcSignalingState.HAVE_LOCAL_PRANSWER) {
                    throw new PeerConnectionException.InvalidState("setLocalDescription(answer) in state " + signalingState);
                }
                if (lastCreatedAnswer == null || !lastCreatedAnswer.serialize().equals(sdp.serialize())) {
                    throw new PeerConnectionException.InvalidModification("the local answer must be the one createAnswer returned");
                }
                lastCreatedAnswer = sdp; // equal text: one tree, not two (see the offer case)
                MediaDescription tagged = sdp.media().stream().filter(m -> !m.isRejected()).findFirst()
                        .orElseThrow(() -> new PeerConnectionException.InvalidModification("the answer accepts no m-section"));
                Setup ourSetup = sdp.setupFor(tagged).orElse(Setup.ACTIVE);
                if (core.dtlsRole() == null) {
                    core.setDtlsRole(ourSetup == Setup.ACTIVE ? DtlsRole.CLIENT : DtlsRole.SERVER);
                }
                if (d.type() == RtcSdpType.ANSWER) {
                    currentLocal = sdp;
                    currentLocalIsOffer = false;
                    currentRemote = pendingRemote;
                    pendingLocal = null;
                    pendingRemote = null;
                    pc.setSignalingState(RtcSignalingState.STABLE);
                    onNegotiated();
                } else {
                    pendingLocal = sdp;
                    pc.setSignalingState(RtcSignalingState.HAVE_LOCAL_PRANSWER);
                }
            }
            case ROLLBACK -> rollback(true);
        }
        startGathering();
        edge.maybeStartDtls();
    }

    void applyRemote(RtcSessionDescription d) {
        if (d.type() == RtcSdpType.ROLLBACK) {
            rollback(false);
            return;
        }
        SessionDescription sdp = parse(d, "remote");
        Jsep.RemoteTransport rt;
        try {
            rt = Jsep.remoteTransport(sdp);
        } catch (Jsep.InvalidDescriptionException e) {
            throw new PeerConnectionException.InvalidDescription(e.getMessage());
        }
        List<Fingerprint> fps = new ArrayList<>();
        for (FingerprintAttribute f : rt.fingerprints()) {
            try {
                fps.add(Fingerprint.parse(f.toAttributeValue()));
            } catch (RuntimeException e) {
                LOG.debug("{}: skipping remote fingerprint {}: {}", logId, f.hashFunction(), e.getMessage());
            }
        }
        if (fps.isEmpty()) {
            throw new PeerConnectionException.InvalidDescription("no usable remote fingerprint (sha-256/384/512 needed; md5 and sha-1 are refused)");
        }
        if (core.hasDtls() && !core.sameFingerprints(fps)) {
            throw new PeerConnectionException.InvalidModification("the remote certificate changed; DTLS renegotiation is not supported");
        }
        Jsep.RemoteData data = Jsep.remoteData(sdp);
        if (data != null) {
            LOG.debug("{}: remote data section: {} form, {}, SCTP port {}, max-message-size {}{}", logId, data.form(),
                    data.proto(), data.sctpPort(), data.maxMessageSize(), data.maxMessageSizeGiven() ? "" : " (RFC 8841 default)");
        }
        if (data != null && data.sctpPort() != core.sctp.association().config().remotePort()) {
            // RFC 8841 section 5.1: the peer's port is what its description says (5000 when it says nothing)
            try {
                core.sctp.association().setRemotePort(data.sctpPort());
                LOG.debug("{}: the remote SCTP port is {}", logId, data.sctpPort());
            } catch (IllegalStateException e) {
                throw new PeerConnectionException.InvalidModification("the remote SCTP port changed to "
                        + data.sctpPort() + ": " + e.getMessage());
            }
        }
        RtcSignalingState signalingState = pc.signalingState();
        switch (d.type()) {
            case OFFER -> {
                if (signalingState != RtcSignalingState.STABLE && signalingState != RtcSignalingState.HAVE_REMOTE_OFFER) {
                    throw new PeerConnectionException.InvalidState("setRemoteDescription(offer) in state " + signalingState);
                }
                if (currentLocal == null && currentRemote == null) {
                    setIceRole(rt.iceLite() ? IceRole.CONTROLLING : IceRole.CONTROLLED);
                }
                if (data != null) {
                    dataMid = data.mid();
                    dataMLineIndex = data.mLineIndex();
                } else {
                    dataMLineIndex = -1;
                }
                pendingRemote = sdp;
                applyRemoteTransport(rt, true);
                pc.setSignalingState(RtcSignalingState.HAVE_REMOTE_OFFER);
            }
            case ANSWER, PRANSWER -> {
                if (signalingState != RtcSignalingState.HAVE_LOCAL_OFFER && signalingState != RtcSignalingState.HAVE_REMOTE_PRANSWER) {
                    throw new PeerConnectionException.InvalidState("setRemoteDescription(answer) in state " + signalingState);
                }
                if (rt.iceLite()) {
                    setIceRole(IceRole.CONTROLLING);
                }
                if (core.dtlsRole() == null) {
                    Setup remoteSetup = rt.setup() == null ? Setup.ACTIVE : rt.setup();
                    if (remoteSetup == Setup.ACTPASS) {
                        throw new PeerConnectionException.InvalidDescription("a=setup:actpass is not allowed in an answer (RFC 5763)");
                    }
                    core.setDtlsRole(remoteSetup == Setup.ACTIVE ? DtlsRole.SERVER : DtlsRole.CLIENT);
                }
                applyRemoteTransport(rt, false);
                if (d.type() == RtcSdpType.ANSWER) {
                    currentRemote = sdp;
                    currentLocal = pendingLocal;
                    currentLocalIsOffer = true;
                    pendingLocal = null;
                    pendingRemote = null;
                    offeredRestartCredentials = null;
                    restartRequested = false;
                    pc.setSignalingState(RtcSignalingState.STABLE);
                } else {
                    pendingRemote = sdp;
                    pc.setSignalingState(RtcSignalingState.HAVE_REMOTE_PRANSWER);
                }
            }
            default -> throw new IllegalStateException();
        }
        if (data != null) {
            core.sctp.setRemoteMaxMessageSize(data.maxMessageSize());
        }
        core.setRemoteFingerprints(fps);
        media.applyRemoteDescription(sdp, d.type() == RtcSdpType.OFFER);
        if (d.type() == RtcSdpType.ANSWER) {
            onNegotiated();
        }
        while (!queuedRemoteCandidates.isEmpty()) {
            applyRemoteCandidate(queuedRemoteCandidates.poll());
        }
        edge.maybeStartDtls();
    }

    /**
     * The m-sections of our next offer (RFC 9429 section 5.2.2): the last negotiated ones in their order (a section
     * whose transceiver is gone stays rejected), then a data section if the application created a channel (or there
     * is nothing else to offer), then every transceiver without a mid, each given the next free numeric mid.
     */
    private List<MediaDescription> offerSections() {
        List<MediaDescription> sections = new ArrayList<>();
        List<String> used = new ArrayList<>();
        if (currentLocal != null) {
            for (MediaDescription m : currentLocal.media()) {
                String mid = m.mid().orElse(null);
                if (mid == null) {
                    continue;
                }
                used.add(mid);
                if (mid.equals(dataMid) && m.isDataChannel()) {
                    sections.add(dataSection());
                } else {
                    Transceiver t = media.transceiver(mid);
                    sections.add(t != null && !m.isRejected() ? media.offerSection(t) : m.rejected());
                }
            }
        }
        for (RtpTransceiver t : media.transceivers()) {
            if (t.mid() != null && !used.contains(t.mid())) {
                used.add(t.mid());
                sections.add(media.offerSection((Transceiver) t));
            }
        }
        if (dataMid != null && !used.contains(dataMid)) {
            used.add(dataMid);
            sections.add(dataSection());
        }
        boolean anyMedia = !media.transceivers().isEmpty();
        if (dataMid == null && (dataChannelRequested || !anyMedia)) {
            dataMid = nextMid(used);
            used.add(dataMid);
            sections.add(dataSection());
        }
        for (Transceiver t : media.transceivers()) {
            if (t.mid() == null) {
                String mid = nextMid(used);
                used.add(mid);
                media.assignMid(t, mid);
                sections.add(media.offerSection(t));
            }
        }
        return sections;
    }

    private MediaDescription dataSection() {
        return MediaDescription.dataChannel(dataMid, core.sctp.association().config().localPort(), pc.config().maxMessageSize());
    }

    private static String nextMid(List<String> used) {
        int n = 0;
        for (String mid : used) {
            try {
                n = Math.max(n, Integer.parseInt(mid) + 1);
            } catch (NumberFormatException e) {
                // a non-numeric mid from the remote: keep counting around it
            }
        }
        while (used.contains(Integer.toString(n))) {
            n++;
        }
        return Integer.toString(n);
    }

    /** An offer/answer completed (signaling is stable): media takes in what was negotiated; SCTP may start. */
    private void onNegotiated() {
        media.applyNegotiation(currentLocal, currentRemote);
        core.maybeStartSctp(System.nanoTime());
    }

    /** Whether both current descriptions accept the data m-section (found by mid, or by index when it has none). */
    boolean dataNegotiated() {
        if (currentLocal == null || currentRemote == null || (dataMid == null && dataMLineIndex < 0)) {
            return false;
        }
        return acceptsData(currentLocal) && acceptsData(currentRemote);
    }

    /** {@code d} accepts the data section: found by its mid or, in a description without mids, by its index. */
    private boolean acceptsData(SessionDescription d) {
        Optional<MediaDescription> m = dataMid == null ? Optional.empty() : d.mediaByMid(dataMid);
        if (m.isEmpty()) {
            int i = dataMLineIndex >= 0 ? dataMLineIndex
                    : currentLocal == null || dataMid == null ? -1 : currentLocal.media().indexOf(currentLocal.mediaByMid(dataMid).orElse(null));
            if (i >= 0 && i < d.media().size() && d.media().get(i).mid().isEmpty()) {
                m = Optional.of(d.media().get(i));
            }
        }
        return m.map(s -> !s.isRejected() && s.isDataChannel()).orElse(false);
    }

    private void setIceRole(IceRole role) {
        pc.iceRoleChanged(role);
        edge.setIceRole(role);
    }

    private void applyRemoteTransport(Jsep.RemoteTransport rt, boolean isOffer) {
        pc.canTrickleIceCandidates(rt.trickle());
        boolean restart = remoteUfrag != null && (!remoteUfrag.equals(rt.ufrag()) || !remotePwd.equals(rt.pwd()));
        if (restart && isOffer) {
            // RFC 8445 §9: the answerer of an ICE restart also changes its credentials.
            restartLocalIce(IceCredentials.random(PeerConnection.RANDOM));
        }
        if (remoteUfrag == null || restart) {
            remoteUfrag = rt.ufrag();
            remotePwd = rt.pwd();
            remoteEndOfCandidates = false;
            edge.setRemoteIceCredentials(new IceCredentials(rt.ufrag(), rt.pwd()));
            LOG.debug("{}: remote ICE credentials {}{}", logId, rt.ufrag(), restart ? " (ICE restart)" : "");
        }
        for (Candidate c : rt.candidates()) {
            addRemote(c);
        }
        // A peer that does not trickle (no a=ice-options:trickle) put every candidate in its description and will
        // never send end-of-candidates (RFC 8838 section 4, RFC 8840 section 4.1.1): its list is complete now. Unless
        // the description has no candidate at all: Pion 3.1 leaves out the option and then trickles every candidate;
        // taking its empty list as complete failed ICE whenever our gathering finished before its first candidate.
        boolean completeWithoutTrickle = !rt.trickle() && !rt.candidates().isEmpty();
        if ((rt.endOfCandidates() || completeWithoutTrickle) && !remoteEndOfCandidates) {
            remoteEndOfCandidates = true;
            if (completeWithoutTrickle) {
                LOG.debug("{}: the peer does not trickle; its {} candidates are all there is", logId, rt.candidates().size());
            }
            edge.endOfRemoteCandidates();
        }
    }

    private void applyRemoteCandidate(RtcIceCandidate c) {
        if (c.usernameFragment() != null && !c.usernameFragment().equals(remoteUfrag)) {
            LOG.debug("{}: ignoring candidate of ICE generation {} (current {})", logId, c.usernameFragment(), remoteUfrag);
            return;
        }
        if (c.isEndOfCandidates()) {
            if (!remoteEndOfCandidates) {
                remoteEndOfCandidates = true;
                edge.endOfRemoteCandidates();
            }
            return;
        }
        Candidate parsed;
        try {
            parsed = Candidate.parse(c.candidate());
        } catch (SdpParseException e) {
            throw new PeerConnectionException.InvalidDescription("bad candidate \"" + c.candidate() + "\": " + e.getMessage());
        }
        if (parsed.ufrag().isPresent() && !parsed.ufrag().get().equals(remoteUfrag)) {
            LOG.debug("{}: ignoring candidate of ICE generation {}", logId, parsed.ufrag().get());
            return;
        }
        addRemote(parsed);
    }

    private void addRemote(Candidate c) {
        IceCandidate ic = Candidates.toIce(c);
        if (ic == null) {
            LOG.debug("{}: ignoring unusable remote candidate {}", logId, c);
            return;
        }
        edge.addRemoteCandidate(ic);
    }

    private void rollback(boolean local) {
        RtcSignalingState signalingState = pc.signalingState();
        if (local ? signalingState != RtcSignalingState.HAVE_LOCAL_OFFER : signalingState != RtcSignalingState.HAVE_REMOTE_OFFER) {
            throw new PeerConnectionException.InvalidState("rollback in signaling state " + signalingState);
        }
        pendingLocal = null;
        pendingRemote = null;
        pc.setSignalingState(RtcSignalingState.STABLE);
    }

    private void restartLocalIce(IceCredentials creds) {
        localCredentials = creds;
        localCandidates.clear();
        localEndOfCandidates = false;
        edge.restartIce(creds);
        LOG.info("{}: ICE restart with local ufrag {}", logId, creds.ufrag());
    }

    private static SessionDescription parse(RtcSessionDescription d, String which) {
        try {
            return SessionDescription.parse(d.sdp());
        } catch (SdpParseException e) {
            throw new PeerConnectionException.InvalidDescription("the " + which + " " + d.type().w3cName()
                    + " does not parse: " + e.getMessage());
        }
    }

    private FingerprintAttribute fingerprintAttribute() {
        Fingerprint f = pc.localFingerprint();
        String[] parts = f.toSdpValue().split(" ", 2);
        return new FingerprintAttribute(parts[0], parts[1]);
    }

    private Origin nextOrigin() {
        return Origin.jsep(pc.sessionId(), sessionVersion++);
    }

    private static Setup remoteSetup(SessionDescription d) {
        try {
            Setup s = Jsep.remoteTransport(d).setup();
            return s == null ? Setup.ACTPASS : s;
        } catch (Jsep.InvalidDescriptionException e) {
            return Setup.ACTPASS; // cannot happen: the description was validated when it was applied
        }
    }

    private static Setup setupFor(DtlsRole role) {
        return role == DtlsRole.CLIENT ? Setup.ACTIVE : Setup.PASSIVE;
    }

    private static Optional<RtcSessionDescription> describe(SessionDescription d, RtcSdpType type) {
        return d == null ? Optional.empty() : Optional.of(new RtcSessionDescription(type, d.serialize()));
    }

    // =====================================================================================================
    // Local candidates (trickle ICE)
    // =====================================================================================================

    /**
     * {@code iceCandidatePoolSize} above 0: gathers at creation; what it finds is announced at
     * {@code setLocalDescription} ({@link #startGathering()}).
     */
    void gatherAhead() {
        if (!gatheringStarted && !pc.isClosed()) {
            gatheringStarted = true;
            edge.startGathering().whenComplete((v, e) -> {
                if (e != null) {
                    LOG.warn("{}: ICE gathering (ahead of setLocalDescription) failed: {}", logId, e.toString());
                }
            });
        }
    }

    /** How many gathering events wait for {@code setLocalDescription}. */
    int gatheringEventsHeld() {
        return heldGatheringEvents.size();
    }

    /** At {@code setLocalDescription}: announces what was gathered ahead, and gathers if nothing was started. */
    private void startGathering() {
        if (!announceGathering) {
            announceGathering = true;
            List<Runnable> held = List.copyOf(heldGatheringEvents);
            heldGatheringEvents.clear();
            held.forEach(Runnable::run);
        }
        if (!gatheringStarted) {
            gatheringStarted = true;
            edge.startGathering().whenComplete((v, e) -> {
                if (e != null) {
                    LOG.warn("{}: ICE gathering failed: {}", logId, e.toString());
                }
            });
        }
    }

    void onLocalIceCandidate(IceCandidate c) {
        if (edge.released()) {
            return;
        }
        if (!announceGathering) {
            heldGatheringEvents.add(() -> onLocalIceCandidate(c));
            return;
        }
        Candidate sdpCandidate = Candidates.toSdp(c, localCredentials.ufrag());
        localCandidates.add(sdpCandidate);
        localEndOfCandidates = false;
        pc.fireIceCandidate(new RtcIceCandidate(sdpCandidate.toString(), bundleMid(), 0, localCredentials.ufrag()));
    }

    void onIceGathering(IceGatheringState s) {
        if (edge.released()) {
            return;
        }
        if (!announceGathering) {
            heldGatheringEvents.add(() -> onIceGathering(s));
            return;
        }
        pc.iceGatheringStateChanged(s, () -> {
            if (s == IceGatheringState.COMPLETE) {
                localEndOfCandidates = true;
                pc.fireIceCandidate(new RtcIceCandidate("", bundleMid(), 0, localCredentials.ufrag()));
            }
        });
    }

    /** The mid candidates are signalled with: the first of our description's BUNDLE group (its tagged m-section). */
    private String bundleMid() {
        SessionDescription d = pendingLocal != null ? pendingLocal : currentLocal;
        if (d != null && !d.bundleGroups().isEmpty() && !d.bundleGroups().get(0).mids().isEmpty()) {
            return d.bundleGroups().get(0).mids().get(0);
        }
        return dataMid == null ? "0" : dataMid;
    }
}

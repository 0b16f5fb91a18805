package io.jrtc.peer.internal;

import io.jrtc.ice.IceCandidate;
import io.jrtc.ice.IceCandidateType;
import io.jrtc.ice.IceProtocol;
import io.jrtc.ice.IceTcpCandidateType;
import io.jrtc.sdp.Candidate;
import io.jrtc.sdp.CandidateType;
import io.jrtc.sdp.TcpType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Converts between the SDP grammar of a candidate ({@code sdp}) and ICE's semantic candidate ({@code ice}). */
public final class Candidates {

    private Candidates() {
    }

    /** ICE's candidate as the SDP attribute, tagged with the ufrag (as browsers do) so stale generations can be told apart. */
    public static Candidate toSdp(IceCandidate c, String ufrag) {
        List<Candidate.Extension> ext = new ArrayList<>();
        ext.add(new Candidate.Extension("generation", "0"));
        if (ufrag != null) {
            ext.add(new Candidate.Extension("ufrag", ufrag));
        }
        boolean hasRelated = c.relatedAddress() != null;
        return new Candidate(c.foundation(), c.component(), c.protocol() == IceProtocol.TCP ? "tcp" : "udp", c.priority(),
                c.address(), c.port(), type(c.type()), hasRelated ? c.relatedAddress() : null, hasRelated ? c.relatedPort() : -1,
                c.tcpType() == null ? null : tcpType(c.tcpType()), ext);
    }

    /**
     * SDP's candidate as ICE's, or null for what jrtc cannot use (a transport other than UDP or TCP, component 2 under
     * rtcp-mux).
     */
    public static IceCandidate toIce(Candidate c) {
        IceProtocol protocol = switch (c.transport().toLowerCase(Locale.ROOT)) {
            case "udp" -> IceProtocol.UDP;
            case "tcp" -> IceProtocol.TCP;
            default -> null;
        };
        if (protocol == null || c.component() != 1 || c.priority() < 1) {
            return null;
        }
        IceCandidateType type = switch (c.type()) {
            case HOST -> IceCandidateType.HOST;
            case SRFLX -> IceCandidateType.SRFLX;
            case PRFLX -> IceCandidateType.PRFLX;
            case RELAY -> IceCandidateType.RELAY;
        };
        IceTcpCandidateType tcp = c.tcpType() == null ? null : switch (c.tcpType()) {
            case ACTIVE -> IceTcpCandidateType.ACTIVE;
            case PASSIVE -> IceTcpCandidateType.PASSIVE;
            case SO -> IceTcpCandidateType.SO;
        };
        return new IceCandidate(c.foundation(), c.component(), protocol, c.priority(), c.address(), c.port(), type,
                c.relatedAddress(), Math.max(0, c.relatedPort()), tcp);
    }

    private static CandidateType type(IceCandidateType t) {
        return switch (t) {
            case HOST -> CandidateType.HOST;
            case SRFLX -> CandidateType.SRFLX;
            case PRFLX -> CandidateType.PRFLX;
            case RELAY -> CandidateType.RELAY;
        };
    }

    private static TcpType tcpType(IceTcpCandidateType t) {
        return switch (t) {
            case ACTIVE -> TcpType.ACTIVE;
            case PASSIVE -> TcpType.PASSIVE;
            case SO -> TcpType.SO;
        };
    }
}

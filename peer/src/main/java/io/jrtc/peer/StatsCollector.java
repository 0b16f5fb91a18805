package io.jrtc.peer;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelEndpointStats;
import io.jrtc.datachannel.DataChannelStats;
import io.jrtc.dtls.DtlsEndpoint;
import io.jrtc.common.DtlsRole;
import io.jrtc.dtls.Fingerprint;
import io.jrtc.ice.IceCandidate;
import io.jrtc.ice.IceCandidatePair;
import io.jrtc.ice.IceStats;
import io.jrtc.peer.internal.media.MediaStatsSnapshot;
import io.jrtc.sctp.SctpStats;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds {@link RtcStatsReport}s from the layers' counters, and keeps the few counters only the peer sees (the
 * demultiplexer's). Loop-confined, like its {@link PeerConnection}.
 */
final class StatsCollector {

    /** Closed channels are kept for stats up to this many (W3C keeps them; we bound memory). */
    private static final int MAX_CLOSED_CHANNELS = 256;

    // Sized for a channel or two (they grow): the defaults cost 272 B and 88 B per idle connection.
    private final Map<DataChannel, Integer> channels = new IdentityHashMap<>(2);
    private final ArrayDeque<DataChannel> order = new ArrayDeque<>(2);
    private int nextChannelStatsId;
    private long dtlsBytesIn;
    private long dtlsBytesOut;
    private long sctpPacketsOut;
    private long unknownDatagrams;

    void channelOpened(DataChannel ch) {
        if (channels.putIfAbsent(ch, nextChannelStatsId) == null) {
            nextChannelStatsId++;
            order.add(ch);
            trimClosed();
        }
    }

    private void trimClosed() {
        int closed = 0;
        for (DataChannel ch : order) {
            if (ch.readyState() == io.jrtc.datachannel.DataChannelState.CLOSED) {
                closed++;
            }
        }
        while (closed > MAX_CLOSED_CHANNELS) {
            DataChannel oldest = null;
            for (DataChannel ch : order) {
                if (ch.readyState() == io.jrtc.datachannel.DataChannelState.CLOSED) {
                    oldest = ch;
                    break;
                }
            }
            order.remove(oldest);
            channels.remove(oldest);
            closed--;
        }
    }

    void dtlsBytesIn(int n) {
        dtlsBytesIn += n;
    }

    void dtlsBytesOut(int n) {
        dtlsBytesOut += n;
    }

    void sctpPacketOut() {
        sctpPacketsOut++;
    }

    void unknownDatagram() {
        unknownDatagrams++;
    }

    long unknownDatagrams() {
        return unknownDatagrams;
    }

    RtcStatsReport collect(long now, TransportCore pc, Fingerprint localFingerprint, IceStats ice, IceCandidatePair selected, DtlsEndpoint dtls,
            DataChannelEndpointStats dc, java.util.List<DataChannel> live, MediaStatsSnapshot media) {
        for (DataChannel ch : live) {
            channelOpened(ch);
        }
        Map<String, RtcStats> out = new LinkedHashMap<>();
        out.put("P", new RtcStats.PeerConnection("P", dc.dataChannelsOpened(), dc.dataChannelsClosed()));

        long pSent = 0;
        long pRecv = 0;
        long bSent = 0;
        long bRecv = 0;
        for (IceStats.Traffic t : ice.traffic().values()) {
            pSent += t.packetsSent();
            pRecv += t.packetsReceived();
            bSent += t.bytesSent();
            bRecv += t.bytesReceived();
        }
        String selectedId = null;
        Map<IceCandidate, String> candidateIds = new LinkedHashMap<>();
        int pairIndex = 0;
        for (IceStats.PairStats ps : ice.pairs()) {
            String localId = candidateIds.computeIfAbsent(ps.pair().local(), c -> "CL" + candidateIds.size());
            String remoteId = candidateIds.computeIfAbsent(ps.pair().remote(), c -> "CR" + candidateIds.size());
            String id = "CP" + pairIndex++ + "_" + localId + "_" + remoteId;
            boolean isSelected = ps.pair().equals(selected);
            if (isSelected) {
                selectedId = id;
            }
            out.put(id, new RtcStats.CandidatePair(id, localId, remoteId, ps.state(), ps.nominated(), isSelected,
                    ps.packetsSent(), ps.packetsReceived(), ps.bytesSent(), ps.bytesReceived(),
                    ps.rttNanos() > 0 ? ps.rttNanos() / 1e9 : (isSelected && ice.selectedRttNanos() > 0 ? ice.selectedRttNanos() / 1e9 : 0),
                    ps.requestsSent(), ps.responsesReceived(), ps.requestsReceived()));
        }
        for (Map.Entry<IceCandidate, String> e : candidateIds.entrySet()) {
            IceCandidate c = e.getKey();
            out.put(e.getValue(), new RtcStats.IceCandidate(e.getValue(), e.getValue().startsWith("CL"), c.address(), c.port(),
                    c.protocol().name().toLowerCase(), c.type().token(), c.priority(), c.relatedAddress(), c.relatedPort()));
        }
        DtlsRole role = pc.dtlsRole();
        out.put("T", new RtcStats.Transport("T", pSent, pRecv, bSent, bRecv,
                ice.connectionState().name().toLowerCase(), ice.role() == null ? null : ice.role().name().toLowerCase(),
                dtls == null ? "new" : dtls.state().name().toLowerCase(), role == null ? "unknown" : role.name().toLowerCase(),
                selectedId, localFingerprint.toSdpValue(), media.srtpCipher(), pc.dtlsCipher(),
                pc.remoteCertificateFingerprint()));
        SctpStats s = dc.sctp();
        out.put("S", new RtcStats.SctpTransport("S", s.srttNanos() / 1e9, s.cwnd(), s.localRwnd(), s.peerRwnd(),
                s.packetsSent(), s.packetsReceived(), s.bytesSent(), s.bytesReceived(), s.retransmittedChunks(),
                s.fastRetransmits(), s.t3Expiries(), s.abandonedMessages(), s.droppedPackets(), s.bufferedAmount()));
        for (DataChannel ch : order) {
            DataChannelStats d = ch.stats();
            String id = "D" + channels.get(ch);
            out.put(id, new RtcStats.DataChannel(id, d.label(), d.protocol(), d.id(), d.state().name().toLowerCase(),
                    d.messagesSent(), d.bytesSent(), d.messagesReceived(), d.bytesReceived()));
        }
        for (MediaStatsSnapshot.Inbound m : media.inbound()) {
            String id = "I" + m.ssrc();
            out.put(id, new RtcStats.InboundRtp(id, m.ssrc(), m.kind(), m.mid(), "T", m.mimeType(), m.payloadType(),
                    m.packetsReceived(), m.bytesReceived(), m.packetsLost(), m.jitter(), m.nackCount(), m.pliCount(),
                    m.firCount(), m.framesReceived(), m.keyFramesReceived(), m.retransmittedPacketsReceived(),
                    m.retransmittedBytesReceived(), m.packetsDuplicated(), m.lastPacketReceivedNanos()));
        }
        for (MediaStatsSnapshot.Outbound m : media.outbound()) {
            String id = "O" + m.ssrc();
            out.put(id, new RtcStats.OutboundRtp(id, m.ssrc(), m.rtxSsrc(), m.kind(), m.mid(), "T", m.mimeType(),
                    m.packetsSent(), m.bytesSent(), m.retransmittedPacketsSent(), m.retransmittedBytesSent(), m.nackCount(),
                    m.pliCount(), m.firCount()));
        }
        for (MediaStatsSnapshot.RemoteInbound m : media.remoteInbound()) {
            String id = "RI" + m.ssrc();
            out.put(id, new RtcStats.RemoteInboundRtp(id, m.ssrc(), m.kind(), "O" + m.ssrc(), "T", m.packetsLost(),
                    m.fractionLost(), m.jitter(), m.roundTripTime(), m.totalRoundTripTime(), m.roundTripTimeMeasurements(),
                    m.reportsReceived()));
        }
        return new RtcStatsReport(now, out);
    }
}

package io.jrtc.datachannel;

import io.jrtc.sctp.SctpStats;

/**
 * Transport-level statistics: the SCTP association's counters, plus W3C {@code RTCPeerConnectionStats}'s
 * {@code dataChannelsOpened} / {@code dataChannelsClosed}.
 */
public record DataChannelEndpointStats(SctpStats sctp, long dataChannelsOpened, long dataChannelsClosed, int openChannels,
        long dcepErrors, long messagesDroppedNoChannel) {
}

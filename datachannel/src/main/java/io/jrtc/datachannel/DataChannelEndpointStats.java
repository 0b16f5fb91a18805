package io.jrtc.datachannel;

import io.jrtc.sctp.SctpStats;

/**
 * Transport-level statistics: the SCTP association's counters, plus W3C {@code RTCPeerConnectionStats}'s
 * {@code dataChannelsOpened} / {@code dataChannelsClosed}. {@code sendBufferFullRefusals} counts {@code send} calls
 * refused with {@code SendBufferFullException} because the connection's send buffer was full.
 */
public record DataChannelEndpointStats(SctpStats sctp, long dataChannelsOpened, long dataChannelsClosed, int openChannels,
        long dcepErrors, long messagesDroppedNoChannel, long sendBufferFullRefusals) {
}

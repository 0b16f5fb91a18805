package io.jrtc.datachannel;

import io.jrtc.sctp.SctpStats;

/**
 * Transport-level statistics: the SCTP association's counters, plus W3C {@code RTCPeerConnectionStats}'s
 * {@code dataChannelsOpened} / {@code dataChannelsClosed}. {@code sendBufferFullRefusals} counts {@code send} calls
 * refused with {@code SendBufferFullException} because the connection's send buffer was full.
 * {@code messagesDroppedNoListener} counts messages that reached an open channel with no {@code onMessage} set: W3C
 * drops them (an event nobody listens to), and so does this endpoint, but counted, and logged at WARN once per channel.
 */
public record DataChannelEndpointStats(SctpStats sctp, long dataChannelsOpened, long dataChannelsClosed, int openChannels,
        long dcepErrors, long messagesDroppedNoChannel, long sendBufferFullRefusals, long messagesDroppedNoListener) {

    /** Without the no-listener count (zero). */
    public DataChannelEndpointStats(SctpStats sctp, long dataChannelsOpened, long dataChannelsClosed, int openChannels,
            long dcepErrors, long messagesDroppedNoChannel, long sendBufferFullRefusals) {
        this(sctp, dataChannelsOpened, dataChannelsClosed, openChannels, dcepErrors, messagesDroppedNoChannel,
                sendBufferFullRefusals, 0);
    }
}

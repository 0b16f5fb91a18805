package io.jrtc.peer.interop;

import io.jrtc.testkit.interop.HarnessServer;
import io.jrtc.testkit.interop.PrivateNetwork;
import io.jrtc.testkit.interop.RemotePeer;

/**
 * Every data channel scenario against stock Pion WebRTC 3.1.56 (pion/sctp 1.8.6, pion/datachannel 1.5.5), Debian's Go
 * sources built offline ({@code interop/pion}). Pion gathers only on the namespace's address, without mDNS.
 */
class PionDataChannelInterop extends DataChannelInteropScenarios {

    @Override
    RemotePeer.Kind kind() {
        return RemotePeer.Kind.PION;
    }

    /**
     * Pion 3.1 puts no {@code a=max-message-size} in its SDP (so RFC 8841's 64 KiB default applies to what jrtc
     * sends), and its {@code DataChannel} reads each message into a 65,535-byte buffer: a larger message fails its
     * read loop and closes the channel. So the big-message scenario uses 65,535 bytes both ways.
     */
    @Override
    long bigMessageSize() {
        return 65_535;
    }

    // pion/sctp 1.8.6 queues at most 16 new streams for its accept loop and silently discards DATA for any further
    // new stream (association.go, createStream: "dropped a new stream"); 100 channels opened at once used to stall there
    // with 70-83 never answered. jrtc now keeps at most DataChannelEndpoint.MAX_OPENS_AWAITING_ACK (16) OPENs
    // unacknowledged, so the scenario opens all 100 at once against Pion too.

    @Override
    RemotePeer startRemote(PrivateNetwork net, HarnessServer harness) throws Exception {
        return RemotePeer.pion(net, harness.baseUrl());
    }
}

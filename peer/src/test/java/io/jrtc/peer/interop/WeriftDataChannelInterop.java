package io.jrtc.peer.interop;

import io.jrtc.testkit.interop.HarnessServer;
import io.jrtc.testkit.interop.PrivateNetwork;
import io.jrtc.testkit.interop.RemotePeer;

/** Every data channel scenario against werift 0.25.2 (pure TypeScript WebRTC) on node. */
class WeriftDataChannelInterop extends DataChannelInteropScenarios {

    @Override
    RemotePeer.Kind kind() {
        return RemotePeer.Kind.WERIFT;
    }

    /**
     * werift 0.25.2 (lib/webrtc/src/transport/sctp.js, dataChannelOpen) sets channel type 0x80 for an unordered channel,
     * then overwrites it with 0x01 when maxRetransmits is set, so the DATA_CHANNEL_OPEN says "ordered". Its own
     * channel object still reports ordered=false.
     */
    @Override
    boolean remoteEncodesUnorderedPartialReliability() {
        return false;
    }

    @Override
    RemotePeer startRemote(PrivateNetwork net, HarnessServer harness) throws Exception {
        return RemotePeer.werift(net, harness.baseUrl());
    }
}

package io.jrtc.peer.interop;

import io.jrtc.testkit.interop.HarnessServer;
import io.jrtc.testkit.interop.PrivateNetwork;
import io.jrtc.testkit.interop.RemotePeer;

import java.util.List;

/**
 * Every data channel scenario against headless Chromium 156 with its default of hiding local IPs behind
 * {@code .local} mDNS names: jrtc never resolves them and must learn Chromium's address as peer-reflexive.
 */
class ChromiumWithMdnsDataChannelInterop extends DataChannelInteropScenarios {

    @Override
    RemotePeer.Kind kind() {
        return RemotePeer.Kind.CHROMIUM;
    }

    @Override
    RemotePeer startRemote(PrivateNetwork net, HarnessServer harness) throws Exception {
        return RemotePeer.chromium(net, harness.baseUrl() + "/page.html", true, List.of());
    }
}

package io.jrtc.peer.interop;

import io.jrtc.testkit.interop.HarnessServer;
import io.jrtc.testkit.interop.PrivateNetwork;
import io.jrtc.testkit.interop.RemotePeer;

/**
 * Every data channel scenario against headless Firefox ESR 153 with its default of hiding host addresses behind
 * {@code .local} mDNS names ({@code media.peerconnection.ice.obfuscate_host_addresses=true}): jrtc never resolves them
 * and must learn Firefox's address as peer-reflexive.
 */
class FirefoxWithMdnsDataChannelInterop extends DataChannelInteropScenarios {

    @Override
    RemotePeer.Kind kind() {
        return RemotePeer.Kind.FIREFOX;
    }

    @Override
    String variant() {
        return "mdns";
    }

    @Override
    RemotePeer startRemote(PrivateNetwork net, HarnessServer harness) throws Exception {
        return RemotePeer.firefox(net, harness.baseUrl() + "/page.html", true);
    }
}

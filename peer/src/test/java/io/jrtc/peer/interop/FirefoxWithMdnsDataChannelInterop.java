package io.jrtc.peer.interop;

import io.jrtc.testkit.interop.HarnessServer;
import io.jrtc.testkit.interop.PrivateNetwork;
import io.jrtc.testkit.interop.RemotePeer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

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

    /** Firefox's host candidates name a {@code .local} host, never the namespace address (10.77.N.2). */
    @Override
    void remoteCandidatesAre(List<String> trickled) {
        List<String> host = trickled.stream().filter(c -> c.contains(" typ host")).toList();
        assertThat(host).as("host candidates").isNotEmpty();
        assertThat(host).as("host candidates").allMatch(c -> c.contains(".local "));
        assertThat(trickled).as("candidates").noneMatch(c -> c.contains(" 10.77."));
    }

    @Override
    RemotePeer startRemote(PrivateNetwork net, HarnessServer harness) throws Exception {
        return RemotePeer.firefox(net, harness.baseUrl() + "/page.html", true);
    }
}

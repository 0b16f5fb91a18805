package io.jrtc.peer.interop;

import io.jrtc.testkit.interop.HarnessServer;
import io.jrtc.testkit.interop.PrivateNetwork;
import io.jrtc.testkit.interop.RemotePeer;

/**
 * Every data channel scenario against headless Firefox ESR 153 (Gecko's own ICE, DTLS and usrsctp-based SCTP), with
 * real IPs in its candidates. Firefox advertises {@code max-message-size:1073741823}, so 256 KiB messages go both ways.
 */
class FirefoxDataChannelInterop extends DataChannelInteropScenarios {

    @Override
    RemotePeer.Kind kind() {
        return RemotePeer.Kind.FIREFOX;
    }

    @Override
    RemotePeer startRemote(PrivateNetwork net, HarnessServer harness) throws Exception {
        return RemotePeer.firefox(net, harness.baseUrl() + "/page.html", false);
    }
}

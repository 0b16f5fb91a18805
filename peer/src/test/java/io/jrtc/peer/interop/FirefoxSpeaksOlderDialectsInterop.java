package io.jrtc.peer.interop;

import io.jrtc.testkit.interop.PrivateNetwork;
import io.jrtc.testkit.interop.RemotePeer;

/** Firefox ESR 153 speaking the older SDP dialects (see {@link BrowserSpeaksOlderDialectsInterop}). */
class FirefoxSpeaksOlderDialectsInterop extends BrowserSpeaksOlderDialectsInterop {

    @Override
    RemotePeer.Kind kind() {
        return RemotePeer.Kind.FIREFOX;
    }

    @Override
    RemotePeer startRemote(PrivateNetwork net, String url) throws Exception {
        return RemotePeer.firefox(net, url, false);
    }

    @Override
    String corpusName() {
        return "firefox153";
    }
}

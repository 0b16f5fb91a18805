package io.jrtc.peer.interop;

import io.jrtc.testkit.interop.PrivateNetwork;
import io.jrtc.testkit.interop.RemotePeer;
import java.util.List;

/** Chromium 156 speaking the older SDP dialects (see {@link BrowserSpeaksOlderDialectsInterop}). */
class ChromiumSpeaksOlderDialectsInterop extends BrowserSpeaksOlderDialectsInterop {

    @Override
    RemotePeer.Kind kind() {
        return RemotePeer.Kind.CHROMIUM;
    }

    @Override
    RemotePeer startRemote(PrivateNetwork net, String url) throws Exception {
        return RemotePeer.chromium(net, url, false, List.of());
    }

    @Override
    String corpusName() {
        return "chromium156";
    }
}

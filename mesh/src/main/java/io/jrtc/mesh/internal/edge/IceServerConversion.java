package io.jrtc.mesh.internal.edge;

import io.jrtc.ice.IceServer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The signaling server's {@code ice_servers} as ICE servers; unusable URLs are left out with a log line. */
final class IceServerConversion {

    private static final Logger LOG = LoggerFactory.getLogger(IceServerConversion.class);

    private IceServerConversion() {
    }

    static List<IceServer> fromSignaling(List<io.jrtc.signaling.client.IceServer> servers) {
        List<IceServer> out = new ArrayList<>();
        for (io.jrtc.signaling.client.IceServer s : servers) {
            List<String> usable = new ArrayList<>();
            for (String url : s.urls()) {
                try {
                    IceServer.Url u = IceServer.parseUrl(url);
                    if (u.isTurn() && (s.username() == null || s.credential() == null)) {
                        LOG.info("mesh: TURN URL {} from signaling has no credentials; not used", url);
                        continue;
                    }
                    usable.add(url);
                } catch (IllegalArgumentException e) {
                    LOG.info("mesh: ICE server URL {} from signaling not used: {}", url, e.getMessage());
                }
            }
            if (!usable.isEmpty()) {
                out.add(new IceServer(usable, s.username(), s.credential()));
            }
        }
        return out;
    }
}

package io.jrtc.cli.internal;

import io.jrtc.ice.IceServer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Conversions between the signaling protocol's {@code ice_servers}, command-line specs and ICE's {@link IceServer}. */
public final class IceServers {

    private static final Logger LOG = LoggerFactory.getLogger(IceServers.class);

    private IceServers() {
    }

    /**
     * The {@code ice_servers} of a {@code registered} reply as ICE servers. A URL that ICE cannot use (unknown scheme,
     * TURN without credentials) is left out with a warning; the others are kept.
     */
    public static List<IceServer> fromSignaling(List<io.jrtc.signaling.client.IceServer> servers) {
        List<IceServer> out = new ArrayList<>();
        for (io.jrtc.signaling.client.IceServer s : servers) {
            List<String> usable = new ArrayList<>();
            for (String url : s.urls()) {
                try {
                    IceServer.Url u = IceServer.parseUrl(url);
                    if (u.isTurn() && (s.username() == null || s.credential() == null)) {
                        LOG.warn("ignoring TURN URL {} from the signaling server: no credentials", url);
                        continue;
                    }
                    usable.add(url);
                } catch (IllegalArgumentException e) {
                    LOG.warn("ignoring ICE server URL {} from the signaling server: {}", url, e.getMessage());
                }
            }
            if (!usable.isEmpty()) {
                out.add(new IceServer(usable, s.username(), s.credential()));
            }
        }
        return out;
    }

    /**
     * Parses a command-line ICE server: {@code URL} for STUN, {@code URL,USERNAME,CREDENTIAL} for TURN, e.g.
     * {@code stun:127.0.0.1:3478} or {@code turn:10.0.0.1:3478?transport=tcp,alice,secret}.
     *
     * @throws IllegalArgumentException when it is not a usable STUN/TURN server
     */
    public static IceServer parseSpec(String spec) {
        String[] parts = spec.split(",", -1);
        return switch (parts.length) {
            case 1 -> new IceServer(List.of(parts[0].trim()), null, null);
            case 3 -> new IceServer(List.of(parts[0].trim()), parts[1], parts[2]);
            default -> throw new IllegalArgumentException("an ICE server is URL or URL,USERNAME,CREDENTIAL, not: " + spec);
        };
    }
}

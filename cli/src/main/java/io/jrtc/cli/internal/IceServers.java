package io.jrtc.cli.internal;

import io.jrtc.ice.IceServer;
import java.util.List;

/** Conversions between the signaling protocol's {@code ice_servers}, command-line specs and ICE's {@link IceServer}. */
public final class IceServers {

    private IceServers() {
    }

    /**
     * The {@code ice_servers} of a {@code registered} reply as ICE servers. A URL that ICE cannot use (unknown scheme,
     * TURN without credentials) is left out with a warning; the others are kept.
     */
    public static List<IceServer> fromSignaling(List<io.jrtc.signaling.client.IceServer> servers) {
        return servers.stream()
                .flatMap(s -> IceServer.withUsableUrls(s.urls(), s.username(), s.credential()).stream())
                .toList();
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

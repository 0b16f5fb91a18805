package io.jrtc.signaling.client;

import java.util.List;
import java.util.Objects;

/**
 * One entry of {@code registered.ice_servers}, shaped like the W3C {@code RTCIceServer}: STUN/TURN URLs and,
 * for TURN, the ephemeral TURN REST username and credential (null for STUN).
 */
public record IceServer(List<String> urls, String username, String credential) {

    public IceServer {
        urls = List.copyOf(Objects.requireNonNull(urls, "urls"));
    }

    @Override
    public String toString() {
        return "IceServer[urls=" + urls + ", username=" + username + ", credential="
                + (credential == null ? "none" : "<redacted>") + "]";
    }
}

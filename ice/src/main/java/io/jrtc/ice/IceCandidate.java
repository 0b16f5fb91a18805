package io.jrtc.ice;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * A semantic ICE candidate (RFC 8445 §5.1): what the agent needs, not the SDP {@code candidate:} grammar (the
 * {@code sdp} module parses that and the peer converts).
 *
 * <p>The address is kept as a string because a remote host candidate may carry an unresolved mDNS name
 * ({@code <uuid>.local}, as Chromium sends when it hides local IPs); see {@link #isMdns()}.
 *
 * @param foundation     1 to 32 ice-chars (RFC 8445 §5.1.1.3)
 * @param component      component id, 1 to 256 (WebRTC bundles everything on component 1)
 * @param protocol       UDP or TCP
 * @param priority       1 to 2^32-1 (RFC 8445 §5.1.2)
 * @param address        an IP literal or a host name (e.g. an mDNS name)
 * @param port           0 to 65535
 * @param type           host, srflx, prflx or relay
 * @param relatedAddress the related address (raddr), or null
 * @param relatedPort    the related port (rport), or 0
 * @param tcpType        the tcptype for TCP candidates, or null
 */
public record IceCandidate(
        String foundation,
        int component,
        IceProtocol protocol,
        long priority,
        String address,
        int port,
        IceCandidateType type,
        String relatedAddress,
        int relatedPort,
        IceTcpCandidateType tcpType) {

    /** RFC 8445 §5.1.2.1: the highest local preference. */
    public static final int MAX_LOCAL_PREFERENCE = 65535;

    public IceCandidate {
        if (foundation == null || foundation.isEmpty() || foundation.length() > 32 || !isIceChars(foundation)) {
            throw new IllegalArgumentException("foundation must be 1 to 32 ice-chars, was " + foundation);
        }
        if (component < 1 || component > 256) {
            throw new IllegalArgumentException("component must be 1..256, was " + component);
        }
        if (protocol == null || type == null) {
            throw new IllegalArgumentException("protocol and type are required");
        }
        if (priority < 1 || priority > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("priority must be 1..2^32-1, was " + priority);
        }
        if (address == null || address.isEmpty()) {
            throw new IllegalArgumentException("address is required");
        }
        if (port < 0 || port > 65535 || relatedPort < 0 || relatedPort > 65535) {
            throw new IllegalArgumentException("port out of range");
        }
    }

    /** A candidate without related address or tcptype. */
    public static IceCandidate of(String foundation, int component, IceProtocol protocol, long priority,
                                  String address, int port, IceCandidateType type) {
        return new IceCandidate(foundation, component, protocol, priority, address, port, type, null, 0, null);
    }

    /**
     * RFC 8445 §5.1.2.1: {@code priority = 2^24 * type preference + 2^8 * local preference + (256 - component ID)}.
     */
    public static long computePriority(IceCandidateType type, int localPreference, int componentId) {
        return computePriority(type.typePreference(), localPreference, componentId);
    }

    /** The same formula with an explicit type preference (0..126). */
    public static long computePriority(int typePreference, int localPreference, int componentId) {
        if (typePreference < 0 || typePreference > 126) {
            throw new IllegalArgumentException("type preference must be 0..126");
        }
        if (localPreference < 0 || localPreference > MAX_LOCAL_PREFERENCE) {
            throw new IllegalArgumentException("local preference must be 0..65535");
        }
        if (componentId < 1 || componentId > 256) {
            throw new IllegalArgumentException("component must be 1..256");
        }
        return ((long) typePreference << 24) + ((long) localPreference << 8) + (256 - componentId);
    }

    /**
     * RFC 8445 §5.1.1.3: candidates share a foundation when they have the same type, base IP address, server (for
     * srflx and relay) and transport protocol. The result is a stable decimal string of at most 10 characters.
     *
     * @param serverAddress the STUN/TURN server's IP for srflx/relay candidates, or null
     */
    public static String computeFoundation(IceCandidateType type, String baseAddress, String serverAddress,
                                           IceProtocol protocol) {
        CRC32 crc = new CRC32();
        String key = type.token() + '|' + baseAddress.toLowerCase(Locale.ROOT) + '|'
                + (serverAddress == null ? "" : serverAddress.toLowerCase(Locale.ROOT)) + '|' + protocol.token();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return Long.toString(crc.getValue());
    }

    /** True when the address is an mDNS name ({@code *.local}) that this agent will not resolve. */
    public boolean isMdns() {
        return address.toLowerCase(Locale.ROOT).endsWith(".local");
    }

    /** The local preference part of the priority (RFC 8445 §5.1.2.1). */
    public int localPreference() {
        return (int) ((priority >>> 8) & 0xFFFF);
    }

    /** A copy with another type and priority (used when a peer-reflexive candidate gets signalled). */
    public IceCandidate withTypeAndPriority(IceCandidateType newType, long newPriority) {
        return new IceCandidate(foundation, component, protocol, newPriority, address, port, newType,
                relatedAddress, relatedPort, tcpType);
    }

    private static boolean isIceChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        String host = address.indexOf(':') >= 0 ? "[" + address + "]" : address;
        return type.token() + "/" + protocol.token() + " " + host + ":" + port + " prio=" + priority
                + (relatedAddress != null ? " raddr=" + relatedAddress + ":" + relatedPort : "");
    }
}

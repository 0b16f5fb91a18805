package io.jrtc.ice;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * A STUN or TURN server (W3C {@code RTCIceServer}). URLs follow RFC 7064 ({@code stun:}, {@code stuns:}) and
 * RFC 7065 ({@code turn:}, {@code turns:}, with {@code ?transport=udp|tcp}).
 *
 * <p>TURN REST API credentials (ephemeral, time-limited: username {@code "<expiry-unix-seconds>:<user>"},
 * password {@code base64(HMAC-SHA1(secret, username))}) are ordinary long-term credentials here.
 *
 * @param urls       one or more URLs, e.g. {@code stun:127.0.0.1:3478}, {@code turn:host:3478?transport=tcp},
 *                   {@code turns:host:5349?transport=tcp}
 * @param username   the TURN username, or null for STUN
 * @param credential the TURN password, or null for STUN
 */
public record IceServer(List<String> urls, String username, String credential) {

    /** URL schemes. */
    public enum Scheme { STUN, STUNS, TURN, TURNS }

    /** How the agent talks to the server. */
    public enum ServerTransport { UDP, TCP, TLS }

    /**
     * One parsed URL.
     *
     * @param scheme    stun, stuns, turn or turns
     * @param host      an IP literal (without brackets) or a host name
     * @param port      the port (3478 by default, 5349 for stuns/turns)
     * @param transport UDP, TCP, or TLS (for stuns/turns)
     */
    public record Url(Scheme scheme, String host, int port, ServerTransport transport) {

        public boolean isTurn() {
            return scheme == Scheme.TURN || scheme == Scheme.TURNS;
        }

        @Override
        public String toString() {
            String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
            return scheme.name().toLowerCase(Locale.ROOT) + ":" + h + ":" + port + "?transport=" + transport.name().toLowerCase(Locale.ROOT);
        }
    }

    public IceServer {
        if (urls == null || urls.isEmpty()) {
            throw new IllegalArgumentException("an IceServer needs at least one URL");
        }
        urls = List.copyOf(urls);
        for (String u : urls) {
            Url parsed = parseUrl(u);
            if (parsed.isTurn() && (username == null || credential == null)) {
                throw new IllegalArgumentException("TURN URL " + u + " needs a username and a credential");
            }
        }
    }

    /** A STUN server without credentials. */
    public static IceServer stun(String url) {
        return new IceServer(List.of(url), null, null);
    }

    /** A TURN server with long-term (or REST API) credentials. */
    public static IceServer turn(String url, String username, String credential) {
        return new IceServer(List.of(url), username, credential);
    }

    /**
     * The server with only the URLs ICE can use (they parse, and a TURN URL comes with credentials), or empty when none
     * can be used. A list from elsewhere (the signaling server's {@code ice_servers}) is not refused as a whole: each URL
     * left out is logged at WARN with the reason.
     */
    public static Optional<IceServer> withUsableUrls(List<String> urls, String username, String credential) {
        List<String> usable = new ArrayList<>();
        for (String url : urls) {
            try {
                if (parseUrl(url).isTurn() && (username == null || credential == null)) {
                    LoggerFactory.getLogger(IceServer.class).warn("ICE server URL {} not used: TURN without credentials", url);
                    continue;
                }
                usable.add(url);
            } catch (IllegalArgumentException e) {
                LoggerFactory.getLogger(IceServer.class).warn("ICE server URL {} not used: {}", url, e.getMessage());
            }
        }
        return usable.isEmpty() ? Optional.empty() : Optional.of(new IceServer(usable, username, credential));
    }

    /** The URLs parsed. */
    public List<Url> parsedUrls() {
        return urls.stream().map(IceServer::parseUrl).toList();
    }

    /**
     * Parses a STUN/TURN URL. Throws {@link IllegalArgumentException} for anything RFC 7064/7065 does not allow
     * (unknown scheme or transport, {@code turns} over UDP, a bad port).
     */
    public static Url parseUrl(String url) {
        if (url == null) {
            throw new IllegalArgumentException("url is null");
        }
        int colon = url.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("not a STUN/TURN URL: " + url);
        }
        Scheme scheme = switch (url.substring(0, colon).toLowerCase(Locale.ROOT)) {
            case "stun" -> Scheme.STUN;
            case "stuns" -> Scheme.STUNS;
            case "turn" -> Scheme.TURN;
            case "turns" -> Scheme.TURNS;
            default -> throw new IllegalArgumentException("unknown scheme in " + url);
        };
        String rest = url.substring(colon + 1);
        if (rest.startsWith("//")) {
            throw new IllegalArgumentException("STUN/TURN URLs have no authority part (no //): " + url);
        }
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String host;
        String portText = null;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed IPv6 literal in " + url);
            }
            host = rest.substring(1, close);
            String after = rest.substring(close + 1);
            if (after.startsWith(":")) {
                portText = after.substring(1);
            } else if (!after.isEmpty()) {
                throw new IllegalArgumentException("junk after IPv6 literal in " + url);
            }
        } else {
            int pc = rest.lastIndexOf(':');
            if (pc >= 0) {
                host = rest.substring(0, pc);
                portText = rest.substring(pc + 1);
            } else {
                host = rest;
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host in " + url);
        }
        boolean secure = scheme == Scheme.STUNS || scheme == Scheme.TURNS;
        int port = secure ? 5349 : 3478;
        if (portText != null) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port in " + url);
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range in " + url);
            }
        }
        ServerTransport transport = secure ? ServerTransport.TLS : ServerTransport.UDP;
        if (query != null) {
            if (scheme == Scheme.STUN || scheme == Scheme.STUNS) {
                throw new IllegalArgumentException("stun URLs take no query: " + url);
            }
            String t = query.toLowerCase(Locale.ROOT);
            if (t.equals("transport=udp")) {
                if (secure) {
                    throw new IllegalArgumentException("turns over UDP (DTLS) is not supported: " + url);
                }
                transport = ServerTransport.UDP;
            } else if (t.equals("transport=tcp")) {
                transport = secure ? ServerTransport.TLS : ServerTransport.TCP;
            } else {
                throw new IllegalArgumentException("unknown query in " + url);
            }
        }
        return new Url(scheme, host, port, transport);
    }

    @Override
    public String toString() {
        return "IceServer[urls=" + urls + ", username=" + username + ", credential=" + (credential == null ? "null" : "<hidden>") + "]";
    }
}

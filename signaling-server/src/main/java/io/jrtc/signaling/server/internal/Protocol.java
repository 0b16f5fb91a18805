package io.jrtc.signaling.server.internal;

import java.util.regex.Pattern;

/** Constants of the wire protocol. */
public final class Protocol {
    /** The protocol version documented in the README and sent in {@code registered.protocol_version}. */
    public static final int VERSION = 1;
    /**
     * The revision of version 1 this server implements: 2 added {@code registered.rate_limit}, 3 the
     * {@code candidates} batch and {@code features} (in {@code register} and {@code registered}), 4 the
     * {@code link_report} an agent sends about its mesh links (shown at {@code /mesh} and on the page), 5 the
     * opaque {@code presence} blob an agent registers with and the server hands to the others, 6 the optional
     * {@code nat} of a {@code link_report} (the agent's NAT behaviour, shown at {@code /mesh}).
     */
    public static final int REVISION = 6;
    /**
     * The feature the server announces when it relays {@code register.presence} in {@code registered.presence} and
     * {@code agent_joined.presence} (revision 5; single instance only: blobs are not shared over Redis).
     */
    public static final String FEATURE_PRESENCE = "presence";
    /** A presence blob: 1 to 512 characters of base64url, never interpreted by the server. */
    public static final Pattern PRESENCE = Pattern.compile("[A-Za-z0-9_-]{1,512}");
    /** The feature the server announces when it takes {@code link_report} messages (revision 4). */
    public static final String FEATURE_LINK_REPORT = "link_report";
    /** The most links one {@code link_report} may list. */
    public static final int MAX_REPORTED_LINKS = 64;
    /** A link's mode in a {@code link_report}: 1 to 16 of {@code A-Z} and {@code _} (HIGH, MEDIUM, LOW, …). */
    public static final Pattern LINK_MODE = Pattern.compile("[A-Z_]{1,16}");
    /** The feature a client lists in {@code register.features} to receive batches, and the server announces. */
    public static final String FEATURE_CANDIDATES = "candidates";
    /** The most elements one {@code candidates} batch may carry (the frame size limit applies as well). */
    public static final int MAX_BATCH_CANDIDATES = 64;
    /** The most entries of {@code register.features}; each is a string of at most 64 characters. */
    public static final int MAX_FEATURES = 16;
    /** The WebSocket path. */
    public static final String WS_PATH = "/ws";
    /** Agent ids: 1 to 64 of these characters (safe in URLs, Redis keys, log lines and TURN usernames). */
    public static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9._~@-]{1,64}");

    private Protocol() {
    }

    public static boolean validAgentId(String id) {
        return id != null && AGENT_ID.matcher(id).matches();
    }
}

package io.jrtc.signaling.server.internal;

import java.util.regex.Pattern;

/** Constants of the wire protocol. */
public final class Protocol {
    /** The protocol version documented in the README and sent in {@code registered.protocol_version}. */
    public static final int VERSION = 1;
    /**
     * The revision of version 1 this server implements: 2 added {@code registered.rate_limit}, 3 the
     * {@code candidates} batch and {@code features} (in {@code register} and {@code registered}).
     */
    public static final int REVISION = 3;
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

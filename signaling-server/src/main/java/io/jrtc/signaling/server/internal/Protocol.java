package io.jrtc.signaling.server.internal;

import java.util.regex.Pattern;

/** Constants of the wire protocol. */
public final class Protocol {
    /** The protocol version documented in the README and sent in {@code registered.protocol_version}. */
    public static final int VERSION = 1;
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

package io.jrtc.signaling.server;

import java.util.Optional;

/**
 * The error codes of the jrtc signaling protocol (version 1), as carried in
 * {@code {"type":"error","code":"…","message":"…"}}. Each code has its own counter,
 * {@code jrtc_signaling_errors_total{code="…"}}.
 */
public enum ErrorCode {
    /** The agent named in {@code to} is not registered anywhere in the signaling space. */
    UNKNOWN_AGENT("unknown_agent"),
    /** A relayed message arrived before a successful {@code register}. */
    NOT_REGISTERED("not_registered"),
    /** Not JSON, not an object, an unknown {@code type}, a missing or mistyped field, or a binary frame. */
    INVALID_MESSAGE("invalid_message"),
    /** Another session holds this {@code agent_id} and the duplicate-id policy is REFUSE. */
    AGENT_ID_TAKEN("agent_id_taken"),
    /** A secret is configured and the token is missing, malformed, tampered, expired or for another id. */
    UNAUTHORIZED("unauthorized"),
    /** The connection exceeded its messages-per-second budget; the message was dropped. */
    RATE_LIMITED("rate_limited"),
    /** A frame or message exceeded the maximum frame size. The connection is closed (1009). */
    TOO_LARGE("too_large"),
    /** The maximum number of agents on this instance is reached. The connection is closed (1013). */
    SERVER_FULL("server_full"),
    /** Nothing, not even a pong, arrived for the idle timeout. The connection is closed (1001). */
    IDLE_TIMEOUT("idle_timeout"),
    /** The server is shutting down; reconnect elsewhere. The connection is closed (1001). */
    SERVER_DRAINING("server_draining"),
    /** A newer session registered the same id under the TAKE_OVER policy. The connection is closed (4001). */
    SESSION_REPLACED("session_replaced"),
    /** The shared Redis backbone could not be reached; the request was not carried out. */
    BACKBONE_UNAVAILABLE("backbone_unavailable"),
    /** The agent could not keep up with its messages (too many bytes queued); the connection is closed. */
    SLOW_CONSUMER("slow_consumer");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    /** The snake_case string used on the wire and as the metric label. */
    public String wire() {
        return wire;
    }

    /** Looks a code up by its wire string. */
    public static Optional<ErrorCode> fromWire(String wire) {
        for (ErrorCode c : values()) {
            if (c.wire.equals(wire)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}

package io.jrtc.signaling.client;

/**
 * The server refused the client for good: the {@code connect()} future fails with this when registration is
 * refused with {@code unauthorized}, {@code agent_id_taken} or {@code invalid_message} on the first attempt,
 * and the client closes. {@link #code()} is the protocol error code.
 */
public final class SignalingException extends RuntimeException {

    private final String code;

    public SignalingException(String code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    /** The protocol error code, e.g. {@code unauthorized}. */
    public String code() {
        return code;
    }
}

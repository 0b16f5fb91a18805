package io.jrtc.datachannel;

import io.jrtc.common.ErrorKind;

/**
 * W3C {@code RTCError} as delivered to {@code onError}: {@code detail} follows {@code RTCErrorDetailType}
 * ("sctp-failure", "data-channel-failure").
 */
public record DataChannelError(String detail, ErrorKind kind, String message) {
}

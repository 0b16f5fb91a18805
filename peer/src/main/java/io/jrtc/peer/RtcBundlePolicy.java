package io.jrtc.peer;

/**
 * W3C {@code RTCBundlePolicy}. jrtc always bundles every media section onto one transport (RFC 9143), which is
 * {@code MAX_BUNDLE}; the other values are accepted for API compatibility and behave the same way.
 */
public enum RtcBundlePolicy {
    BALANCED, MAX_COMPAT, MAX_BUNDLE
}

package io.jrtc.common;

/** The small, closed set of reasons a wire element fails to parse. */
public enum ParseError {
    /** A length field disagrees with the bytes present, or the input is truncated. */
    INVALID_LENGTH,
    /** A type code is not the one expected here. */
    INVALID_TYPE,
    /** Padding is missing or non-zero where the RFC requires zeros. */
    INVALID_PADDING,
    /** A field holds a value that the RFC forbids. */
    INVALID_VALUE
}

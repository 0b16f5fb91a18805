package io.jrtc.mesh.quality;

/**
 * The quality class of one mesh link, as rated by its {@link LinkQuality} tracker. Declared worst first, so
 * {@code compareTo} orders them.
 */
public enum LinkMode {
    /** Poor: the link carries control frames and lazy ids only, never eager payloads; routes avoid it. */
    LOW,
    /** Usable: carries everything. */
    MEDIUM,
    /** Good: carries everything. */
    HIGH
}

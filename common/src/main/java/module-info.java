/** Contracts shared by every jrtc protocol core. */
module io.jrtc.common {
    requires transitive org.slf4j;
    exports io.jrtc.common;
}

/** Contracts shared by every jrtc protocol core. */
@SuppressWarnings("module") // the qualified export names modules that are compiled after this one
module io.jrtc.common {
    requires transitive org.slf4j;
    exports io.jrtc.common;
    /** Small data structures shared by the protocol cores; not API. */
    exports io.jrtc.common.internal to io.jrtc.sctp, io.jrtc.srtp;
}

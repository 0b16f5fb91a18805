/** Deterministic test harness for sans-IO cores: virtual clock, network emulator, back-to-back driver. */
module io.jrtc.testkit {
    requires transitive io.jrtc.common;
    exports io.jrtc.testkit;
}

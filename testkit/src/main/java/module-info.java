/** Deterministic test harness for sans-IO cores: virtual clock, network emulator, back-to-back driver. */
module io.jrtc.testkit {
    requires transitive io.jrtc.common;
    requires org.junit.jupiter.api;
    requires transitive org.junit.platform.launcher;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
    requires transitive com.fasterxml.jackson.databind;
    requires jdk.httpserver;
    requires org.slf4j;
    exports io.jrtc.testkit;
    exports io.jrtc.testkit.interop;
    exports io.jrtc.testkit.junit;
    exports io.jrtc.testkit.soak;
    provides org.junit.platform.launcher.TestExecutionListener with io.jrtc.testkit.junit.SkippedTestsSummary;
}

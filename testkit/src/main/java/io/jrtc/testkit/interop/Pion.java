package io.jrtc.testkit.interop;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Stock Pion WebRTC 3.1 as an interop peer: the Go program in {@code interop/pion}, built on demand by
 * {@link GoProgram} (offline, GOPATH mode, against Debian's {@code golang-github-pion-webrtc.v3-dev}). The binary goes to
 * {@code target/pion/} of the module that runs the test and is rebuilt when a source is newer.
 */
final class Pion {

    private Pion() {
    }

    static String unavailableReason() {
        return GoProgram.unavailableReason("github.com/pion/webrtc", "apt-get install golang-github-pion-webrtc.v3-dev");
    }

    /** The built program, building it first when it is missing or older than its sources. */
    static Path binary() throws IOException {
        return GoProgram.build(HarnessServer.repoRoot().resolve("interop/pion"), Path.of("target", "pion"), "jrtc-pion-peer");
    }
}

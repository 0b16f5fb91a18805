package io.jrtc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.signaling.server.SignalingServer;
import io.jrtc.signaling.server.SignalingServerConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DataChannelHello} between two JVMs: this one offers, a child process (java from {@code java.home}, this
 * test's class path) answers, and the descriptions and candidates go through a real signaling server on 127.0.0.1.
 * Each side's greeting must reach the other: the offerer's result here, the answerer's printed by the child.
 */
class DataChannelHelloBetweenTwoProcesses {

    @Test
    void greetingsCrossBetweenTwoJvmsThroughTheSignalingServer(@TempDir Path dir) throws Exception {
        SignalingServer server = new SignalingServer(SignalingServerConfig.builder().bindHost("127.0.0.1").port(0)
                .drainTimeout(Duration.ofSeconds(1)).build());
        int port = server.start().get(20, TimeUnit.SECONDS);
        URI uri = URI.create("ws://127.0.0.1:" + port + "/ws");
        Path out = dir.resolve("answerer.out");
        Path err = dir.resolve("answerer.err");
        Process answerer = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dice4j.harvest.use-ipv6=false",
                DataChannelHello.class.getName(), "answer", uri.toString(), "bob", "alice", "60"))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            DataChannelHello.Result offerer = DataChannelHello.run(DataChannelHello.Role.OFFER, uri, "alice", "bob",
                    Duration.ofSeconds(60));

            assertThat(offerer.sent()).isEqualTo("hello from alice");
            assertThat(offerer.received()).isEqualTo("hello from bob");
            assertThat(answerer.waitFor(30, TimeUnit.SECONDS)).as("the answerer exits").isTrue();
            assertThat(answerer.exitValue()).as("answerer's exit code; stderr:%n%s", read(err)).isZero();
            assertThat(Files.readAllLines(out)).containsExactly("sent: hello from bob", "received: hello from alice");
        } finally {
            answerer.destroyForcibly();
            server.abort();
        }
    }

    private static String read(Path p) throws Exception {
        return p.toFile().exists() ? Files.readString(p) : "";
    }
}

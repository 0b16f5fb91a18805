package io.jrtc.signaling.client;

import io.jrtc.signaling.server.DuplicateIdPolicy;
import io.jrtc.signaling.server.SignalingServer;
import io.jrtc.signaling.server.SignalingServerConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Under the TAKE_OVER policy a second client with the same id evicts the first; the first reports
 * session_replaced, goes CLOSED and does not reconnect (which would evict the newcomer in turn).
 */
class SessionReplacedStopsReconnecting {

    private final TestServers t = new TestServers();

    @AfterEach
    void tearDown() {
        t.close();
    }

    @Test
    void evictedClientClosesForGood() throws Exception {
        SignalingServer s = t.start(SignalingServerConfig.builder().duplicateIdPolicy(DuplicateIdPolicy.TAKE_OVER));
        SignalingClient old = t.client(TestServers.uri(s), "desk");
        Inbox<SignalingMessage> atOld = new Inbox<>();
        Inbox<ConnectionState> oldStates = new Inbox<>();
        old.onMessage(atOld).onStateChange(oldStates);
        old.connect().get(10, TimeUnit.SECONDS);
        assertThat(oldStates.next()).isEqualTo(ConnectionState.REGISTERED);

        SignalingClient fresh = t.client(TestServers.uri(s), "desk");
        fresh.connect().get(10, TimeUnit.SECONDS);
        assertThat(atOld.next(SignalingMessage.Error.class).code()).isEqualTo("session_replaced");
        assertThat(oldStates.next()).isEqualTo(ConnectionState.CLOSED);
        assertThat(oldStates.poll(Duration.ofMillis(800))).as("no reconnect attempt").isNull();
        assertThat(fresh.state()).isEqualTo(ConnectionState.REGISTERED);
        assertThat(s.connectedAgents()).isEqualTo(1);
    }
}

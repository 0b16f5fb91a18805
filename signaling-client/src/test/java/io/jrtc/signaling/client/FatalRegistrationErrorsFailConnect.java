package io.jrtc.signaling.client;

import io.jrtc.signaling.server.SignalingServer;
import io.jrtc.signaling.server.SignalingServerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A server with a secret: a wrong token fails connect() with SignalingException(unauthorized) and closes the
 * client; a duplicate id under REFUSE fails with agent_id_taken; a transient refusal (server_full) is retried
 * until room appears; the token supplier is asked on every attempt.
 */
class FatalRegistrationErrorsFailConnect {

    private final TestServers t = new TestServers();

    @AfterEach
    void tearDown() {
        t.close();
    }

    @Test
    void wrongTokenFailsConnectWithUnauthorized() throws Exception {
        SignalingServer s = t.start(SignalingServerConfig.builder().secret("server-secret"));
        SignalingClient bad = t.client(SignalingClientConfig.builder(TestServers.uri(s), "eve")
                .token(AgentTokens.mint("guessed", "eve", Duration.ofMinutes(5))));
        assertThatThrownBy(() -> bad.connect().get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(SignalingException.class, e -> assertThat(e.code()).isEqualTo("unauthorized"));
        assertThat(bad.closeAsync()).succeedsWithin(Duration.ofSeconds(5));
        assertThat(bad.state()).isEqualTo(ConnectionState.CLOSED);

        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.Supplier<String> minter = AgentTokens.supplier("server-secret", "eve", Duration.ofMinutes(5),
                Clock.systemUTC());
        SignalingClient good = t.client(SignalingClientConfig.builder(TestServers.uri(s), "eve")
                .tokenSupplier(() -> {
                    asked.incrementAndGet();
                    return minter.get();
                }));
        assertThat(good.connect().get(10, TimeUnit.SECONDS).agentId()).isEqualTo("eve");
        assertThat(asked.get()).isEqualTo(1);
    }

    @Test
    void duplicateIdFailsTheFirstConnect() throws Exception {
        SignalingServer s = t.start();
        t.client(TestServers.uri(s), "twin").connect().get(10, TimeUnit.SECONDS);
        SignalingClient second = t.client(TestServers.uri(s), "twin");
        assertThatThrownBy(() -> second.connect().get(10, TimeUnit.SECONDS))
                .cause().isInstanceOfSatisfying(SignalingException.class, e -> assertThat(e.code()).isEqualTo("agent_id_taken"));
    }

    @Test
    void serverFullIsRetriedUntilThereIsRoom() throws Exception {
        SignalingServer s = t.start(SignalingServerConfig.builder().maxAgents(1));
        SignalingClient first = t.client(TestServers.uri(s), "first");
        first.connect().get(10, TimeUnit.SECONDS);
        SignalingClient waiting = t.client(TestServers.uri(s), "waiting");
        Inbox<SignalingMessage> inbox = new Inbox<>();
        waiting.onMessage(inbox);
        CompletableFuture<SignalingMessage.Registered> f = waiting.connect();
        SignalingMessage.Error full = inbox.next(SignalingMessage.Error.class);
        assertThat(full.code()).isEqualTo("server_full");
        assertThat(f).isNotDone();
        first.closeAsync().get(5, TimeUnit.SECONDS);
        assertThat(f.get(10, TimeUnit.SECONDS).agentId()).isEqualTo("waiting");
    }
}

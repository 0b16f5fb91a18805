package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.datachannel.DataChannelMessage;
import io.jrtc.datachannel.DataChannelState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The interop scenarios, Java to Java over real UDP on 127.0.0.1: echo of 1,000 strings and 1,000 binary messages each
 * way, 256 KiB messages each way, 100 channels opened at once from each side, an unordered maxRetransmits=0 channel,
 * and closing from either side. Both connections echo whatever the other side's channels carry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JavaToJavaDataChannelScenarios {

    private PeerConnectionFactory factory;
    private LoopbackPair pair;

    @BeforeAll
    void connect() throws Exception {
        factory = new PeerConnectionFactory(2);
        pair = new LoopbackPair(factory);
        echoIncoming(pair.offerer);
        echoIncoming(pair.answerer);
        DataChannel first = pair.offerer.createDataChannel("first");
        pair.negotiate();
        ChannelTraffic.opened(pair.offerer, first).get(10, TimeUnit.SECONDS);
        pair.assertConnected();
    }

    @AfterAll
    void close() {
        pair.close();
        factory.close();
    }

    /** Every channel the other side opens is echoed: strings as strings, bytes as bytes. */
    static void echoIncoming(PeerConnection pc) {
        pc.onDataChannel(ch -> ch.onMessage(m -> {
            if (ch.readyState() != DataChannelState.OPEN) {
                return;
            }
            if (m.isBinary()) {
                ch.send(m.data().duplicate());
            } else {
                ch.send(m.text());
            }
        }));
    }

    /** {@code from} opens a channel, sends {@code count} messages, and checks every echo in order. */
    static DataChannel echoRoundTrip(PeerConnection from, String label, DataChannelInit init, int count, boolean binary,
            int fixedSize) throws Exception {
        DataChannel ch = from.createDataChannel(label, init);
        List<DataChannelMessage> echoes = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(count);
        from.execute(() -> ch.onMessage(m -> {
            byte[] copy = new byte[m.data().remaining()];
            m.data().duplicate().get(copy);
            echoes.add(new DataChannelMessage(ByteBuffer.wrap(copy), m.isBinary()));
            all.countDown();
        }));
        ChannelTraffic.opened(from, ch).get(10, TimeUnit.SECONDS);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sent.add(ChannelTraffic.payload(label, i, fixedSize > 0 ? fixedSize : 1 + (i * 37) % 1000, binary));
        }
        ChannelTraffic.sendAll(from, ch, sent, binary, java.time.Duration.ofSeconds(60));
        assertThat(all.await(60, TimeUnit.SECONDS)).as("%s: %d of %d echoes", label, count - all.getCount(), count).isTrue();
        for (int i = 0; i < count; i++) {
            DataChannelMessage e = echoes.get(i);
            assertThat(e.isBinary()).isEqualTo(binary);
            byte[] got = new byte[e.data().remaining()];
            e.data().duplicate().get(got);
            assertThat(Arrays.equals(got, sent.get(i))).as("%s #%d", label, i).isTrue();
        }
        return ch;
    }

    @Test
    void thousandStringsAndThousandBinaryMessagesEchoEachWay() throws Exception {
        echoRoundTrip(pair.offerer, "o-text", DataChannelInit.DEFAULT, 1000, false, -1);
        echoRoundTrip(pair.offerer, "o-bin", DataChannelInit.DEFAULT, 1000, true, -1);
        echoRoundTrip(pair.answerer, "a-text", DataChannelInit.DEFAULT, 1000, false, -1);
        echoRoundTrip(pair.answerer, "a-bin", DataChannelInit.DEFAULT, 1000, true, -1);
    }

    @Test
    void messagesOf256KiBEchoEachWay() throws Exception {
        echoRoundTrip(pair.offerer, "o-big", DataChannelInit.DEFAULT, 4, true, 256 * 1024);
        echoRoundTrip(pair.answerer, "a-big", DataChannelInit.DEFAULT, 4, true, 256 * 1024);
    }

    @Test
    void aMessageOverThePeersLimitIsRefusedAtSend() throws Exception {
        DataChannel ch = pair.offerer.createDataChannel("too-big");
        ChannelTraffic.opened(pair.offerer, ch).get(10, TimeUnit.SECONDS);
        CompletableFuture<Throwable> refused = new CompletableFuture<>();
        pair.offerer.execute(() -> {
            try {
                ch.send(new byte[256 * 1024 + 1]);
                refused.complete(null);
            } catch (RuntimeException e) {
                refused.complete(e);
            }
        });
        assertThat(refused.get(5, TimeUnit.SECONDS)).isInstanceOf(io.jrtc.sctp.MessageTooLargeException.class)
                .hasMessageContaining("262144");
        assertThat(ch.readyState()).isEqualTo(DataChannelState.OPEN);
    }

    @Test
    void hundredChannelsOpenAtOnceFromEachSide() throws Exception {
        for (PeerConnection from : List.of(pair.offerer, pair.answerer)) {
            String prefix = from == pair.offerer ? "om" : "am";
            List<CompletableFuture<String>> echoes = new ArrayList<>();
            List<DataChannel> channels = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                DataChannel ch = from.createDataChannel(prefix + i);
                channels.add(ch);
                CompletableFuture<String> echo = new CompletableFuture<>();
                echoes.add(echo);
                String text = "hello " + prefix + i;
                from.execute(() -> {
                    ch.onMessage(m -> echo.complete(m.text()));
                    ch.onOpen(() -> ch.send(text));
                });
            }
            CompletableFuture.allOf(echoes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 100; i++) {
                assertThat(echoes.get(i).get()).isEqualTo("hello " + prefix + i);
            }
            assertThat(channels.stream().mapToInt(DataChannel::id).distinct().count()).isEqualTo(100);
            // Our ids have our parity: the offerer (DTLS server) odd, the answerer (DTLS client) even.
            int parity = from == pair.offerer ? 1 : 0;
            assertThat(channels).allMatch(c -> c.id() % 2 == parity);
        }
    }

    @Test
    void unorderedChannelWithoutRetransmissionsCarriesItsParametersAndMessages() throws Exception {
        CompletableFuture<DataChannel> atAnswerer = new CompletableFuture<>();
        pair.answerer.onDataChannel(ch -> {
            if (ch.label().equals("unrel")) {
                atAnswerer.complete(ch);
            }
            ch.onMessage(m -> {
                if (ch.readyState() == DataChannelState.OPEN) {
                    ch.send(m.data().duplicate());
                }
            });
        });
        try {
            DataChannelInit init = DataChannelInit.builder().ordered(false).maxRetransmits(0).build();
            DataChannel ch = echoRoundTrip(pair.offerer, "unrel", init, 200, true, 200);
            DataChannel far = atAnswerer.get(5, TimeUnit.SECONDS);
            assertThat(far.ordered()).isFalse();
            assertThat(far.maxRetransmits()).isZero();
            assertThat(ch.ordered()).isFalse();
        } finally {
            echoIncoming(pair.answerer);
        }
    }

    @Test
    void closingFromEitherSideClosesBothEnds() throws Exception {
        for (PeerConnection from : List.of(pair.offerer, pair.answerer)) {
            PeerConnection other = from == pair.offerer ? pair.answerer : pair.offerer;
            String label = "closing-" + (from == pair.offerer ? "o" : "a");
            CompletableFuture<DataChannel> far = new CompletableFuture<>();
            other.onDataChannel(ch -> {
                far.complete(ch);
                ch.onMessage(m -> ch.send(m.text()));
            });
            try {
                DataChannel ch = echoRoundTrip(from, label, DataChannelInit.DEFAULT, 3, false, 10);
                DataChannel remote = far.get(5, TimeUnit.SECONDS);
                CompletableFuture<Void> localClosed = new CompletableFuture<>();
                CompletableFuture<Void> remoteClosed = new CompletableFuture<>();
                other.execute(() -> remote.onClose(() -> remoteClosed.complete(null)));
                from.execute(() -> {
                    ch.onClose(() -> localClosed.complete(null));
                    ch.close();
                });
                localClosed.get(10, TimeUnit.SECONDS);
                remoteClosed.get(10, TimeUnit.SECONDS);
                assertThat(ch.readyState()).isEqualTo(DataChannelState.CLOSED);
                assertThat(remote.readyState()).isEqualTo(DataChannelState.CLOSED);
            } finally {
                echoIncoming(other);
            }
        }
    }
}

package io.jrtc.datachannel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.datachannel.dcep.ChannelType;
import io.jrtc.datachannel.dcep.DataChannelOpen;
import io.jrtc.datachannel.dcep.DcepMessage;
import io.jrtc.sctp.MessageTooLargeException;
import io.jrtc.sctp.packet.Chunk;
import io.jrtc.sctp.packet.DataChunk;
import io.jrtc.sctp.packet.SctpPacket;
import io.jrtc.testkit.BackToBack.Direction;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DataChannelLifecycleTest {

    /** Every DATA chunk the client sends, parsed. */
    static List<DataChunk> clientDataChunks(DcPair p) {
        List<DataChunk> out = new ArrayList<>();
        p.net.withListener((t, d, i, pkt) -> {
            if (d != Direction.A_TO_B) {
                return;
            }
            try {
                for (Chunk c : SctpPacket.parse(pkt.duplicate()).chunks()) {
                    if (c instanceof DataChunk dc) {
                        out.add(dc);
                    }
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        return out;
    }

    @Test
    void inBandOpenCarriesLabelProtocolAndPriorityAndTextAndBinaryFlowBothWays() throws Exception {
        DcPair p = DcPair.perfect();
        List<DataChunk> sent = clientDataChunks(p);
        p.connect();
        DataChannel chat = p.client.createDataChannel("chat", DataChannelInit.builder().protocol("json").priority(DataChannelPriority.HIGH).build());
        boolean[] opened = {false};
        chat.onOpen(() -> opened[0] = true);
        assertThat(opened[0]).as("onOpen set after the channel opened still fires").isTrue();
        assertThat(chat.readyState()).isEqualTo(DataChannelState.OPEN);
        assertThat(chat.id() % 2).as("DTLS client picks even ids").isZero();
        List<DataChannelMessage> atServer = new ArrayList<>();
        List<DataChannelMessage> atClient = new ArrayList<>();
        chat.onMessage(atClient::add);
        p.server.onDataChannel(remote -> {
            p.serverChannels.add(remote);
            remote.onMessage(m -> {
                atServer.add(m);
                remote.send(m.isBinary() ? "echo-binary" : "echo:" + m.text());
            });
        });
        chat.send("hello");
        chat.send("");
        chat.send(new byte[] {1, 2, 3});
        chat.send(ByteBuffer.allocate(0));
        assertThat(p.run(() -> atClient.size() == 4, Duration.ofSeconds(2))).isTrue();
        DataChannel remote = p.serverChannels.get(0);
        assertThat(remote.label()).isEqualTo("chat");
        assertThat(remote.protocol()).isEqualTo("json");
        assertThat(remote.priority()).isEqualTo(DataChannelPriority.HIGH);
        assertThat(remote.id()).isEqualTo(chat.id());
        assertThat(remote.ordered()).isTrue();
        assertThat(remote.negotiated()).isFalse();
        assertThat(atServer).hasSize(4);
        assertThat(atServer.get(0).text()).isEqualTo("hello");
        assertThat(atServer.get(1).isBinary()).isFalse();
        assertThat(atServer.get(1).size()).isZero();
        assertThat(atServer.get(2).isBinary()).isTrue();
        assertThat(atServer.get(2).toByteArray()).containsExactly(1, 2, 3);
        assertThat(atServer.get(3).isBinary()).isTrue();
        assertThat(atServer.get(3).size()).isZero();
        assertThat(atClient.stream().map(DataChannelMessage::text)).containsExactly("echo:hello", "echo:", "echo-binary", "echo-binary");
        // PPIDs on the wire: DCEP, String, String Empty, Binary, Binary Empty (RFC 8831 §8)
        assertThat(sent.stream().map(DataChunk::ppid)).containsExactly(50, 51, 56, 53, 57);
        DataChannelOpen open = (DataChannelOpen) DcepMessage.parse(ByteBuffer.wrap(sent.get(0).payload()));
        assertThat(open.channelType()).isEqualTo(ChannelType.RELIABLE);
        assertThat(open.priority()).isEqualTo(1024);
        assertThat(sent.get(2).payload()).as("empty string sent as one byte").hasSize(1);
        assertThat(chat.stats().messagesSent()).isEqualTo(4);
        assertThat(chat.stats().bytesSent()).isEqualTo(8);
        assertThat(remote.stats().messagesReceived()).isEqualTo(4);
        assertThat(remote.stats().bytesReceived()).isEqualTo(8);
    }

    @ParameterizedTest(name = "ordered={0} rexmit={1} lifetime={2}")
    @CsvSource({"true,,", "false,,", "true,3,", "false,0,", "true,,500", "false,,150"})
    void everyChannelTypeIsAnnouncedAndMirrored(boolean ordered, Integer rexmit, Integer lifetime) throws Exception {
        DcPair p = DcPair.perfect();
        List<DataChunk> sent = clientDataChunks(p);
        p.connect();
        DataChannel ch = p.client.createDataChannel("t", DataChannelInit.builder().ordered(ordered).maxRetransmits(rexmit)
                .maxPacketLifeTime(lifetime).build());
        ch.send("x");
        assertThat(p.run(() -> !p.serverChannels.isEmpty(), Duration.ofSeconds(1))).isTrue();
        DataChannel remote = p.serverChannels.get(0);
        assertThat(remote.ordered()).isEqualTo(ordered);
        assertThat(remote.maxRetransmits()).isEqualTo(rexmit);
        assertThat(remote.maxPacketLifeTime()).isEqualTo(lifetime);
        DataChannelOpen open = (DataChannelOpen) DcepMessage.parse(ByteBuffer.wrap(sent.get(0).payload()));
        ChannelType.Reliability rel = rexmit != null ? ChannelType.Reliability.REXMIT
                : lifetime != null ? ChannelType.Reliability.TIMED : ChannelType.Reliability.RELIABLE;
        assertThat(open.channelType()).isEqualTo(ChannelType.of(ordered, rel));
        assertThat(open.reliabilityParameter()).isEqualTo(rexmit != null ? rexmit : lifetime != null ? lifetime : 0);
        // Before the ACK everything goes ordered, so nothing can overtake the DATA_CHANNEL_OPEN (RFC 8832 §6)
        assertThat(sent.get(1).unordered()).isFalse();
        p.runFor(Duration.ofMillis(100));
        ch.send("after ack");
        p.runFor(Duration.ofMillis(100));
        assertThat(sent.get(sent.size() - 1).unordered()).isEqualTo(!ordered);
    }

    @Test
    void bothSidesOpenAtOnceWithoutCollidingIds() {
        DcPair p = DcPair.perfect();
        p.connect();
        List<DataChannel> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            mine.add(p.client.createDataChannel("c" + i, DataChannelInit.DEFAULT));
            mine.add(p.server.createDataChannel("s" + i, DataChannelInit.DEFAULT));
        }
        assertThat(p.run(() -> p.serverChannels.size() == 5 && p.clientChannels.size() == 5, Duration.ofSeconds(2))).isTrue();
        assertThat(mine.stream().filter(c -> c.label().startsWith("c")).map(DataChannel::id)).containsExactly(0, 2, 4, 6, 8);
        assertThat(mine.stream().filter(c -> c.label().startsWith("s")).map(DataChannel::id)).containsExactly(1, 3, 5, 7, 9);
        assertThat(p.clientChannels.stream().map(DataChannel::label)).containsExactly("s0", "s1", "s2", "s3", "s4");
    }

    @Test
    void channelsCreatedBeforeTheAssociationIsUpOpenWhenItIs() {
        DcPair p = DcPair.perfect();
        DataChannel early = p.client.createDataChannel("early", DataChannelInit.DEFAULT);
        boolean[] open = {false};
        early.onOpen(() -> open[0] = true);
        assertThat(early.readyState()).isEqualTo(DataChannelState.CONNECTING);
        assertThatThrownBy(() -> early.send("too soon")).isInstanceOf(IllegalStateException.class).hasMessageContaining("InvalidStateError");
        p.connect();
        assertThat(open[0]).isTrue();
        early.send("now");
        assertThat(p.run(() -> !p.serverChannels.isEmpty(), Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void negotiatedChannelsSkipDcepAndUseTheGivenId() {
        DcPair p = DcPair.perfect();
        List<DataChunk> sent = clientDataChunks(p);
        DataChannel a = p.client.createDataChannel("neg", DataChannelInit.builder().negotiated(7).build());
        DataChannel b = p.server.createDataChannel("neg", DataChannelInit.builder().negotiated(7).build());
        List<String> got = new ArrayList<>();
        b.onMessage(m -> got.add(m.text()));
        p.connect();
        assertThat(a.readyState()).isEqualTo(DataChannelState.OPEN);
        a.send("direct");
        assertThat(p.run(() -> got.size() == 1, Duration.ofSeconds(1))).isTrue();
        assertThat(got).containsExactly("direct");
        assertThat(a.id()).isEqualTo(7);
        assertThat(sent.stream().map(DataChunk::ppid)).doesNotContain(50);
        assertThat(p.serverChannels).isEmpty();
        assertThatThrownBy(() -> p.client.createDataChannel("dup", DataChannelInit.builder().negotiated(7).build()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closingResetsTheStreamsAndBothSidesEndClosed() {
        DcPair p = DcPair.perfect();
        p.connect();
        DataChannel ch = p.client.createDataChannel("bye", DataChannelInit.DEFAULT);
        List<String> got = new ArrayList<>();
        List<String> serverEvents = new ArrayList<>();
        p.server.onDataChannel(c -> {
            p.serverChannels.add(c);
            c.onMessage(m -> got.add(m.text()));
            c.onClosing(() -> serverEvents.add("closing"));
            c.onClose(() -> serverEvents.add("close"));
        });
        for (int i = 0; i < 20; i++) {
            ch.send("m" + i);
        }
        List<String> clientEvents = new ArrayList<>();
        ch.onClose(() -> clientEvents.add("close"));
        ch.close();
        assertThat(ch.readyState()).isEqualTo(DataChannelState.CLOSING);
        assertThatThrownBy(() -> ch.send("late")).isInstanceOf(IllegalStateException.class);
        assertThat(p.run(() -> !p.serverChannels.isEmpty(), Duration.ofSeconds(1))).isTrue();
        DataChannel remote = p.serverChannels.get(0);
        assertThat(p.run(() -> ch.readyState() == DataChannelState.CLOSED && remote.readyState() == DataChannelState.CLOSED,
                Duration.ofSeconds(5))).isTrue();
        assertThat(got).hasSize(20);
        assertThat(serverEvents).containsExactly("closing", "close");
        assertThat(clientEvents).containsExactly("close");
        assertThat(p.client.stats().dataChannelsClosed()).isEqualTo(1);
        assertThat(p.server.stats().openChannels()).isZero();
    }

    @Test
    void thePeersMaxMessageSizeIsHonoured() {
        DcPair p = DcPair.perfect();
        p.connect();
        DataChannel ch = p.client.createDataChannel("big", DataChannelInit.DEFAULT);
        p.client.setRemoteMaxMessageSize(65536);
        ch.send(new byte[65536]);
        assertThatThrownBy(() -> ch.send(new byte[65537])).isInstanceOf(MessageTooLargeException.class);
        assertThat(p.client.maxMessageSize()).isEqualTo(65536);
    }

    @Test
    void bufferedAmountLowFiresAsTheQueueDrains() {
        DcPair p = DcPair.perfect();
        p.connect();
        DataChannel ch = p.client.createDataChannel("flow", DataChannelInit.DEFAULT);
        ch.setBufferedAmountLowThreshold(64 * 1024);
        int[] lows = {0};
        ch.onBufferedAmountLow(() -> lows[0]++);
        for (int i = 0; i < 20; i++) {
            ch.send(new byte[32 * 1024]);
        }
        assertThat(ch.bufferedAmount()).isGreaterThan(64 * 1024);
        assertThat(p.run(() -> lows[0] > 0, Duration.ofSeconds(5))).isTrue();
        assertThat(lows[0]).isEqualTo(1);
        assertThat(ch.bufferedAmount()).isLessThanOrEqualTo(64 * 1024);
        assertThat(ch.bufferedAmountLowThreshold()).isEqualTo(64 * 1024);
    }

    @Test
    void anAbortedTransportFailsEveryChannel() {
        DcPair p = DcPair.perfect();
        p.connect();
        DataChannel ch = p.client.createDataChannel("x", DataChannelInit.DEFAULT);
        p.run(() -> !p.serverChannels.isEmpty(), Duration.ofSeconds(1));
        DataChannel remote = p.serverChannels.get(0);
        List<DataChannelError> errors = new ArrayList<>();
        remote.onError(errors::add);
        DataChannelError[] transport = {null};
        p.server.onTransportClosed(e -> transport[0] = e);
        p.client.abort("going away");
        assertThat(ch.readyState()).isEqualTo(DataChannelState.CLOSED);
        assertThat(p.run(() -> remote.readyState() == DataChannelState.CLOSED, Duration.ofSeconds(1))).isTrue();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).detail()).isEqualTo("sctp-failure");
        assertThat(errors.get(0).message()).contains("going away");
        assertThat(transport[0]).isNotNull();
        assertThatThrownBy(() -> p.client.createDataChannel("late", DataChannelInit.DEFAULT)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aThrowingListenerDoesNotBreakTheEndpoint() {
        DcPair p = DcPair.perfect();
        p.connect();
        p.server.onDataChannel(c -> {
            c.onMessage(m -> {
                throw new IllegalStateException("boom");
            });
            p.serverChannels.add(c);
        });
        DataChannel ch = p.client.createDataChannel("x", DataChannelInit.DEFAULT);
        ch.send("1");
        ch.send("2");
        assertThat(p.run(() -> !p.serverChannels.isEmpty() && p.serverChannels.get(0).stats().messagesReceived() == 2,
                Duration.ofSeconds(1))).isTrue();
        assertThat(p.server.association().state()).isEqualTo(io.jrtc.sctp.SctpState.ESTABLISHED);
    }

    @Test
    void userCallsOutsideTheCoreRequestAnOwnerDrain() {
        DcPair p = DcPair.perfect();
        p.connect();
        int before = p.drainRequests;
        DataChannel ch = p.client.createDataChannel("w", DataChannelInit.DEFAULT);
        ch.send("x");
        ch.close();
        assertThat(p.drainRequests - before).isEqualTo(3);
    }
}

package io.jrtc.probe;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.datachannel.dcep.ChannelType;
import io.jrtc.datachannel.dcep.DataChannelOpen;
import io.jrtc.datachannel.dcep.DcepMessage;
import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.peer.PeerConnection;
import io.jrtc.peer.PeerConnectionFactory;
import io.jrtc.peer.RtcConfiguration;
import io.jrtc.peer.RtcSessionDescription;
import io.jrtc.probe.internal.Chunks;
import io.jrtc.probe.internal.Fault;
import io.jrtc.probe.internal.ProbeTap;
import io.jrtc.probe.internal.Windows;
import io.jrtc.sctp.packet.DataChunk;
import io.jrtc.sctp.packet.SctpPacket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * jrtc itself as the target, in the same JVM over loopback UDP: the reference run (jrtc probing jrtc passes every
 * scenario) and, with {@link Break}s, a deliberately broken jrtc that the probe must catch. The target echoes every
 * message on every channel, and takes commands ({@link TargetControl}).
 *
 * <p>The breaks are made by a {@link io.jrtc.peer.PacketTap} on the target's connection that rewrites its packets, so
 * nothing of them is in jrtc's production path.
 */
public final class JrtcTarget implements ProbeTarget {

    /** Deliberate breaks of the target (test-only behaviour, through the target's packet tap). */
    public enum Break {
        /** Its DATA_CHANNEL_OPEN loses the unordered bit (0x80) of the channel type, as werift does with maxRetransmits. */
        DROP_UNORDERED_BIT,
        /** It ignores the peer's a_rwnd: every incoming INIT, INIT ACK and SACK is read as advertising 4 MiB. */
        IGNORE_A_RWND
    }

    private final PeerConnectionFactory factory = new PeerConnectionFactory();
    private final Set<Break> breaks;

    public JrtcTarget(Set<Break> breaks) {
        this.breaks = breaks.isEmpty() ? EnumSet.noneOf(Break.class) : EnumSet.copyOf(breaks);
    }

    public JrtcTarget() {
        this(Set.of());
    }

    @Override
    public String name() {
        return breaks.isEmpty() ? "jrtc" : "jrtc-broken-" + breaks.stream().map(b -> b.name().toLowerCase().replace('_', '-')).toList();
    }

    @Override
    public RtcConfiguration.Builder baseConfiguration() {
        return RtcConfiguration.builder().addBindAddress(InetAddress.getLoopbackAddress());
    }

    private List<Fault> faults() {
        List<Fault> f = new ArrayList<>();
        if (breaks.contains(Break.DROP_UNORDERED_BIT)) {
            f.add(Fault.rewrite("break: unordered bit dropped", Direction.OUTBOUND, 0, p -> Chunks.mapChunks(p, c -> {
                if (c instanceof DataChunk d && d.ppid() == 50 && dcep(d) instanceof DataChannelOpen o && !o.channelType().ordered()) {
                    DataChannelOpen bad = new DataChannelOpen(ChannelType.of(o.channelType().code() & 0x7F), o.priority(),
                            o.reliabilityParameter(), o.label(), o.protocol());
                    ByteBuffer b = ByteBuffer.allocate(bad.encodedLength());
                    bad.writeTo(b);
                    return new DataChunk(d.tsn(), d.streamId(), d.ssn(), d.ppid(), b.array(), d.unordered(), d.beginning(),
                            d.ending(), d.immediate());
                }
                return c;
            })));
        }
        if (breaks.contains(Break.IGNORE_A_RWND)) {
            f.add(Fault.rewrite("break: a_rwnd ignored", Direction.INBOUND, -1, Windows.rewrite(w -> 4L << 20)));
        }
        return f;
    }

    private static DcepMessage dcep(DataChunk d) {
        return io.jrtc.probe.internal.Decode.dcep(d).orElse(null);
    }

    @Override
    public Link connect(PeerConnection ours, Role role, Duration timeout, UnaryOperator<String> rewrite) throws Exception {
        RtcConfiguration.Builder b = baseConfiguration();
        if (!breaks.isEmpty()) {
            b.packetTap(new ProbeTap(faults()));
        }
        PeerConnection target = factory.createPeerConnection(b.build());
        Map<String, DataChannel> channels = new ConcurrentHashMap<>();
        target.onDataChannel(ch -> {
            channels.put(ch.label(), ch);
            ch.onMessage(m -> {
                if (m.isBinary()) {
                    ch.send(m);
                } else {
                    ch.send(m.text());
                }
            });
        });
        Trickle trickle = new Trickle();
        ours.onIceCandidate(c -> {
            trickle.sent(c.candidate());
            target.addIceCandidate(c);
        });
        target.onIceCandidate(c -> {
            trickle.received(c.candidate());
            ours.addIceCandidate(c);
        });
        long t = timeout.toMillis();
        PeerConnection offerer = role == Role.OFFERER ? ours : target;
        PeerConnection answerer = role == Role.OFFERER ? target : ours;
        if (role == Role.ANSWERER) {
            target.createDataChannel("remote-init");
        }
        RtcSessionDescription offer = offerer.createOffer().get(t, TimeUnit.MILLISECONDS);
        offerer.setLocalDescription(offer).get(t, TimeUnit.MILLISECONDS);
        answerer.setRemoteDescription(role == Role.OFFERER ? rewritten(offer, rewrite) : offer).get(t, TimeUnit.MILLISECONDS);
        RtcSessionDescription answer = answerer.createAnswer().get(t, TimeUnit.MILLISECONDS);
        answerer.setLocalDescription(answer).get(t, TimeUnit.MILLISECONDS);
        offerer.setRemoteDescription(role == Role.ANSWERER ? rewritten(answer, rewrite) : answer).get(t, TimeUnit.MILLISECONDS);
        AtomicReference<String> remoteSdp = new AtomicReference<>((role == Role.OFFERER ? answer : offer).sdp());
        TargetControl control = new TargetControl() {
            @Override
            public CompletableFuture<Boolean> openAndSend(String label, ChannelOptions o, int count, int size, boolean binary) {
                CompletableFuture<Boolean> done = new CompletableFuture<>();
                target.execute(() -> {
                    DataChannelInit.Builder ib = DataChannelInit.builder().ordered(o.ordered()).protocol(o.protocol());
                    if (o.maxRetransmits() != null) {
                        ib.maxRetransmits(o.maxRetransmits());
                    }
                    if (o.maxPacketLifeTime() != null) {
                        ib.maxPacketLifeTime(o.maxPacketLifeTime());
                    }
                    if (o.negotiatedId() != null) {
                        ib.negotiated(o.negotiatedId());
                    }
                    DataChannel ch = target.createDataChannel(label, ib.build());
                    channels.put(label, ch);
                    AtomicInteger echoed = new AtomicInteger();
                    ch.onMessage(m -> {
                        if (echoed.incrementAndGet() == count) {
                            done.complete(true);
                        }
                    });
                    ch.onOpen(() -> {
                        for (int i = 0; i < count; i++) {
                            byte[] msg = new byte[size];
                            msg[0] = (byte) i;
                            if (binary) {
                                ch.send(msg);
                            } else {
                                ch.send("m" + i);
                            }
                        }
                    });
                });
                return done.completeOnTimeout(false, 10, TimeUnit.SECONDS);
            }

            @Override
            public CompletableFuture<Boolean> close(String label) {
                DataChannel ch = channels.get(label);
                if (ch == null) {
                    return CompletableFuture.completedFuture(false);
                }
                CompletableFuture<Boolean> done = new CompletableFuture<>();
                target.execute(() -> {
                    ch.onClose(() -> done.complete(true));
                    ch.close();
                });
                return done.completeOnTimeout(false, 10, TimeUnit.SECONDS);
            }

            @Override
            public CompletableFuture<Boolean> closePeerConnection() {
                return CompletableFuture.supplyAsync(() -> {
                    target.close();
                    return true;
                });
            }
        };
        return new Link() {
            @Override
            public Optional<TargetControl> control() {
                return Optional.of(control);
            }

            @Override
            public String remoteSdp() {
                return remoteSdp.get();
            }

            @Override
            public String restartIce(Duration timeout) throws Exception {
                long ms = timeout.toMillis();
                RtcSessionDescription o = offerer.createOffer(true).get(ms, TimeUnit.MILLISECONDS);
                offerer.setLocalDescription(o).get(ms, TimeUnit.MILLISECONDS);
                answerer.setRemoteDescription(role == Role.OFFERER ? rewritten(o, rewrite) : o).get(ms, TimeUnit.MILLISECONDS);
                RtcSessionDescription a = answerer.createAnswer().get(ms, TimeUnit.MILLISECONDS);
                answerer.setLocalDescription(a).get(ms, TimeUnit.MILLISECONDS);
                offerer.setRemoteDescription(role == Role.ANSWERER ? rewritten(a, rewrite) : a).get(ms, TimeUnit.MILLISECONDS);
                remoteSdp.set((role == Role.OFFERER ? a : o).sdp());
                return remoteSdp.get();
            }

            @Override
            public Optional<Trickle> trickle() {
                return Optional.of(trickle);
            }

            @Override
            public void close() {
                target.close();
            }
        };
    }

    /** jrtc's description as the target is told it. */
    private static RtcSessionDescription rewritten(RtcSessionDescription d, UnaryOperator<String> rewrite) {
        return new RtcSessionDescription(d.type(), rewrite.apply(d.sdp()));
    }

    @Override
    public void close() {
        factory.close();
    }
}

package io.jrtc.datachannel;

import io.jrtc.common.DatagramCore;
import io.jrtc.common.DtlsRole;
import io.jrtc.sctp.SctpConfig;
import io.jrtc.testkit.BackToBack;
import io.jrtc.testkit.NetemConfig;
import io.jrtc.testkit.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/** A DTLS client endpoint and a DTLS server endpoint joined through testkit's emulator on one virtual clock. */
final class DcPair {

    final VirtualClock clock = new VirtualClock();
    final DataChannelEndpoint client;
    final DataChannelEndpoint server;
    final BackToBack net;
    final List<DataChannel> serverChannels = new ArrayList<>();
    final List<DataChannel> clientChannels = new ArrayList<>();
    int drainRequests;

    DcPair(NetemConfig link, long seed) {
        this(SctpConfig.builder().random(new SplittableRandom(seed)), SctpConfig.builder().random(new SplittableRandom(seed + 1)), link, seed);
    }

    DcPair(SctpConfig.Builder c, SctpConfig.Builder s, NetemConfig link, long seed) {
        this(c, s, link, seed, e -> e);
    }

    /** With each endpoint fed through {@code feed} (an adapter that changes how packets are handed to it). */
    DcPair(NetemConfig link, long seed, Function<DataChannelEndpoint, DatagramCore> feed) {
        this(SctpConfig.builder().random(new SplittableRandom(seed)), SctpConfig.builder().random(new SplittableRandom(seed + 1)), link, seed, feed);
    }

    private DcPair(SctpConfig.Builder c, SctpConfig.Builder s, NetemConfig link, long seed,
            Function<DataChannelEndpoint, DatagramCore> feed) {
        client = new DataChannelEndpoint(c.build(), DtlsRole.CLIENT, clock::now, () -> drainRequests++, "client");
        server = new DataChannelEndpoint(s.build(), DtlsRole.SERVER, clock::now, () -> drainRequests++, "server");
        net = new BackToBack(feed.apply(client), feed.apply(server), link, link, seed, clock);
        server.onDataChannel(serverChannels::add);
        client.onDataChannel(clientChannels::add);
    }

    static DcPair perfect() {
        return new DcPair(NetemConfig.perfect().withDelay(Duration.ofMillis(5)), 1);
    }

    void connect() {
        client.connect(clock.now());
        server.connect(clock.now());
        if (!run(() -> client.association().state() == io.jrtc.sctp.SctpState.ESTABLISHED
                && server.association().state() == io.jrtc.sctp.SctpState.ESTABLISHED, Duration.ofSeconds(10))) {
            throw new AssertionError("SCTP did not come up");
        }
    }

    boolean run(BooleanSupplier done, Duration max) {
        return net.runUntil(done, max);
    }

    void runFor(Duration d) {
        net.runFor(d);
    }
}

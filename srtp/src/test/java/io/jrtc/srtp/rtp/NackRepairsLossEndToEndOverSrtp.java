package io.jrtc.srtp.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.DatagramCore;
import io.jrtc.srtp.SrtpKeys;
import io.jrtc.common.SrtpProfile;
import io.jrtc.srtp.SrtpSession;
import io.jrtc.testkit.NetemConfig;
import io.jrtc.testkit.NetemLink;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Java to Java media under emulated loss, all sans-IO on a virtual clock: the sender builds RTP, protects it, keeps
 * the SRTP bytes in a {@link RetransmissionBuffer}; a lossy {@link NetemLink} carries it; the receiver unprotects,
 * feeds {@link RtpReceiverStats} and a {@link NackGenerator}, and sends SRTCP NACKs back over a second lossy link;
 * the sender answers them. Every packet arrives byte-exact, and the receiver report shows the loss the link caused.
 */
class NackRepairsLossEndToEndOverSrtp {

    private static final long MS = 1_000_000L;

    @ParameterizedTest
    @EnumSource(value = SrtpProfile.class, names = {"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
    void tenPercentLossIsFullyRepaired(SrtpProfile profile) throws Exception {
        Random keys = new Random(3);
        byte[] k1 = new byte[profile.masterKeyLength()];
        byte[] s1 = new byte[profile.masterSaltLength()];
        byte[] k2 = new byte[profile.masterKeyLength()];
        byte[] s2 = new byte[profile.masterSaltLength()];
        keys.nextBytes(k1);
        keys.nextBytes(s1);
        keys.nextBytes(k2);
        keys.nextBytes(s2);
        SrtpKeys senderKeys = new SrtpKeys(profile, k1, s1, k2, s2);
        SrtpSession sender = SrtpSession.create(senderKeys);
        SrtpSession receiver = SrtpSession.create(senderKeys.reversed());

        NetemConfig lossy = NetemConfig.perfect().withDelay(Duration.ofMillis(40)).withJitter(Duration.ofMillis(5))
                .withLoss(0.10);
        NetemLink forward = new NetemLink(lossy, 17);
        NetemLink backward = new NetemLink(lossy, 18);

        long mediaSsrc = 0x1111;
        long receiverSsrc = 0x2222;
        RetransmissionBuffer rtx = new RetransmissionBuffer(1024, 2000 * MS, 10 * MS);
        NackGenerator nacks = new NackGenerator(new NackGenerator.Config(10, 20 * MS, 100 * MS, 2000 * MS, 500, 0));
        RtpReceiverStats stats = new RtpReceiverStats(mediaSsrc, 90_000);
        RtpPacketBuilder builder = new RtpPacketBuilder().payloadType(96).ssrc(mediaSsrc);
        RtpPacket view = new RtpPacket();
        RtcpCompound.Cursor cursor = new RtcpCompound.Cursor();

        int total = 1000;
        byte[][] sentPayloads = new byte[total][];
        byte[][] received = new byte[total][];
        Random media = new Random(5);
        long now = 0;
        int nextToSend = 0;
        long nextSendAt = 0;
        int nacksSent = 0;
        while (true) {
            if (nextToSend < total && now >= nextSendAt) {
                byte[] payload = new byte[200 + media.nextInt(1000)];
                media.nextBytes(payload);
                sentPayloads[nextToSend] = payload;
                byte[] pkt = builder.sequenceNumber(65000 + nextToSend).timestamp(nextToSend * 3000L)
                        .marker(nextToSend % 10 == 9).payload(payload).build(profile.rtpTrailerLength());
                int n = sender.protectRtp(pkt, 0, pkt.length - profile.rtpTrailerLength());
                assertThat(n).isPositive();
                rtx.store(now, pkt, 0, n);
                forward.send(now, Arrays.copyOf(pkt, n));
                nextToSend++;
                nextSendAt = now + 10 * MS;
            }
            for (byte[] wire = forward.poll(now); wire != null; wire = forward.poll(now)) {
                byte[] buf = wire.clone();
                int len = receiver.unprotectRtp(buf, 0, buf.length);
                if (len < 0) {
                    continue; // a duplicate retransmission is refused as a replay
                }
                assertThat(view.wrap(buf, 0, len)).isNull();
                int index = (view.sequenceNumber() - 65000) & 0xFFFF;
                received[index] = view.payloadCopy();
                stats.onPacket(now, view.sequenceNumber(), view.timestamp(), view.payloadLength());
                nacks.onPacket(now, view.sequenceNumber());
            }
            List<Integer> due = nacks.pollNack(now);
            if (!due.isEmpty()) {
                byte[] rtcp = RtcpCompound.encode(List.of(
                        new ReceiverReport(receiverSsrc, List.of()),
                        GenericNack.fromLost(receiverSsrc, mediaSsrc, due)), profile.rtcpTrailerLength());
                int n = receiver.protectRtcp(rtcp, 0, rtcp.length - profile.rtcpTrailerLength());
                backward.send(now, Arrays.copyOf(rtcp, n));
                nacksSent++;
            }
            for (byte[] wire = backward.poll(now); wire != null; wire = backward.poll(now)) {
                byte[] buf = wire.clone();
                int len = sender.unprotectRtcp(buf, 0, buf.length);
                assertThat(len).isPositive();
                cursor.reset(buf, 0, len);
                while (cursor.next()) {
                    if (cursor.decode() instanceof GenericNack nack) {
                        assertThat(nack.mediaSsrc()).isEqualTo(mediaSsrc);
                        long t = now;
                        rtx.respond(nack, now, (b, off, l) -> forward.send(t, Arrays.copyOfRange(b, off, off + l)));
                    }
                }
                assertThat(cursor.error()).isNull();
            }
            boolean done = nextToSend == total && nacks.missingCount() == 0 && forward.inFlightCount() == 0
                    && backward.inFlightCount() == 0;
            if (done) {
                break;
            }
            long next = Math.min(Math.min(forward.nextDelivery(), backward.nextDelivery()), nacks.pollTimeout());
            if (nextToSend < total) {
                next = Math.min(next, nextSendAt);
            }
            assertThat(next).as("stalled at %d ms", now / MS).isNotEqualTo(DatagramCore.NO_TIMEOUT);
            now = Math.max(now, next);
            assertThat(now).isLessThan(60_000 * MS);
        }

        for (int i = 0; i < total; i++) {
            assertThat(received[i]).as("packet %d", i).isEqualTo(sentPayloads[i]);
        }
        assertThat(forward.stats().lost()).isGreaterThan(50);
        assertThat(nacks.givenUp()).isZero();
        assertThat(nacks.recovered()).isGreaterThanOrEqualTo(forward.stats().lost() / 2);
        assertThat(rtx.resentCount()).isGreaterThanOrEqualTo(nacks.recovered());
        assertThat(nacksSent).isPositive();
        // Everything arrived in the end: the report block shows no cumulative loss, across the sequence wrap.
        ReportBlock rb = stats.reportBlock(now);
        assertThat(rb.cumulativeLost()).isZero();
        assertThat(rb.extendedHighestSequence()).isEqualTo(65000 + total - 1);
        assertThat(receiver.stats().inboundDroppedTotal()).isEqualTo(receiver.stats().inboundDropped(
                io.jrtc.srtp.SrtpDropReason.REPLAYED) + receiver.stats().inboundDropped(
                io.jrtc.srtp.SrtpDropReason.REPLAY_TOO_OLD));
        sender.close();
        receiver.close();
    }
}

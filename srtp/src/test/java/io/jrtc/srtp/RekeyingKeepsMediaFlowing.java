package io.jrtc.srtp;

import io.jrtc.common.SrtpProfile;
import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.DatagramCore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A DTLS re-handshake re-keys SRTP; packets in flight under the old keys still arrive, then the old keys retire. */
class RekeyingKeepsMediaFlowing {

    private static final long MS = 1_000_000L;

    private record Wire(byte[] bytes, int seq, boolean rtcp) {
    }

    private static Wire rtp(SrtpSession sender, int seq) {
        int trailer = sender.profile().rtpTrailerLength();
        byte[] payload = new byte[40];
        Arrays.fill(payload, (byte) seq);
        byte[] buf = TestPackets.rtp(96, seq, seq * 3000L, 0x5EED, payload, trailer);
        int n = sender.protectRtp(buf, 0, 52);
        return new Wire(Arrays.copyOf(buf, n), seq, false);
    }

    private static Wire rtcp(SrtpSession sender, int tag) {
        int trailer = sender.profile().rtcpTrailerLength();
        byte[] buf = TestPackets.rtcpRr(0x5EED, 2, trailer);
        buf[8] = (byte) tag;
        int n = sender.protectRtcp(buf, 0, 16);
        return new Wire(Arrays.copyOf(buf, n), tag, true);
    }

    @ParameterizedTest
    @EnumSource(value = SrtpProfile.class, names = {"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
    void newKeysDecryptNewPacketsAndRefuseOldOnes(SrtpProfile profile) {
        SrtpKeys k1 = SrtpRoundTripsAcrossProfilesAndSsrcs.keys(profile, 10);
        SrtpKeys k2 = SrtpRoundTripsAcrossProfilesAndSsrcs.keys(profile, 20);
        try (SrtpSession oldTx = SrtpSession.create(k1); SrtpSession newTx = SrtpSession.create(k2);
             SrtpSession newRx = SrtpSession.create(k2.reversed())) {
            Wire fresh = rtp(newTx, 100);
            assertThat(newRx.unprotectRtp(fresh.bytes().clone(), 0, fresh.bytes().length)).isEqualTo(52);
            Wire stale = rtp(oldTx, 101);
            assertThat(SrtpDropReason.ofResult(newRx.unprotectRtp(stale.bytes().clone(), 0, stale.bytes().length)))
                    .isEqualTo(SrtpDropReason.AUTH_FAILED);
            Wire staleRtcp = rtcp(oldTx, 1);
            assertThat(SrtpDropReason.ofResult(newRx.unprotectRtcp(staleRtcp.bytes().clone(), 0,
                    staleRtcp.bytes().length))).isEqualTo(SrtpDropReason.AUTH_FAILED);
        }
    }

    @ParameterizedTest
    @EnumSource(value = SrtpProfile.class, names = {"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
    void graceSwapLosesNothingInFlightThenRetiresOldKeys(SrtpProfile profile) {
        SrtpKeys k1 = SrtpRoundTripsAcrossProfilesAndSsrcs.keys(profile, 30);
        SrtpKeys k2 = SrtpRoundTripsAcrossProfilesAndSsrcs.keys(profile, 40);
        SrtpSession tx1 = SrtpSession.create(k1);
        SrtpSession tx2 = SrtpSession.create(k2);
        RekeyingSrtpSession rx = new RekeyingSrtpSession(SrtpSession.create(k1.reversed()), 2_000 * MS);

        // Packets 0..59 leave under the old keys, 60..119 under the new ones; the network delays and interleaves them.
        List<Wire> inFlight = new ArrayList<>();
        for (int seq = 0; seq < 60; seq++) {
            inFlight.add(rtp(tx1, seq));
        }
        inFlight.add(rtcp(tx1, 1));
        for (int seq = 60; seq < 120; seq++) {
            inFlight.add(rtp(tx2, seq));
        }
        inFlight.add(rtcp(tx2, 2));

        long now = 1_000 * MS;
        // The first 20 old-key packets arrive before our own handshake finishes.
        boolean[] got = new boolean[120];
        int rtcpAccepted = 0;
        for (int i = 0; i < 20; i++) {
            Wire w = inFlight.get(i);
            assertThat(rx.unprotectRtp(now, w.bytes().clone(), 0, w.bytes().length)).isEqualTo(52);
            got[w.seq()] = true;
        }
        rx.rekey(now, SrtpSession.create(k2.reversed()));
        assertThat(rx.pollTimeout()).isEqualTo(now + 2_000 * MS);

        // Then old and new arrive interleaved: old 20..59 alternate with new 60..119, RTCP of both.
        List<Wire> rest = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            if (20 + i < 61) {
                rest.add(inFlight.get(20 + i));
            }
            rest.add(inFlight.get(61 + i));
        }
        rest.add(inFlight.get(121));
        for (Wire w : rest) {
            now += MS;
            byte[] b = w.bytes().clone();
            if (w.rtcp()) {
                assertThat(rx.unprotectRtcp(now, b, 0, b.length)).as("rtcp %d", w.seq()).isEqualTo(16);
                rtcpAccepted++;
            } else {
                assertThat(rx.unprotectRtp(now, b, 0, b.length)).as("seq %d", w.seq()).isEqualTo(52);
                assertThat(b[12]).isEqualTo((byte) w.seq());
                got[w.seq()] = true;
            }
        }
        for (int seq = 0; seq < 120; seq++) {
            assertThat(got[seq]).as("seq %d delivered", seq).isTrue();
        }
        assertThat(rtcpAccepted).isEqualTo(2);
        assertThat(rx.acceptedWithPreviousKeys()).isEqualTo(41);
        assertThat(rx.stats().inboundDroppedTotal()).isZero();

        // After the grace period the old session is closed and its keys no longer accepted.
        Wire late = rtp(tx1, 200);
        SrtpSession old = rx.previous();
        rx.handleTimeout(now + 2_000 * MS);
        assertThat(rx.previous()).isNull();
        assertThat(old.isClosed()).isTrue();
        assertThat(rx.pollTimeout()).isEqualTo(DatagramCore.NO_TIMEOUT);
        byte[] b = late.bytes().clone();
        assertThat(SrtpDropReason.ofResult(rx.unprotectRtp(now + 2_001 * MS, b, 0, b.length)))
                .isEqualTo(SrtpDropReason.AUTH_FAILED);
        assertThat(rx.stats().inboundDropped(SrtpDropReason.AUTH_FAILED)).isEqualTo(1);

        // Media keeps flowing under the new keys on the same SSRC, same sequence space.
        Wire next = rtp(tx2, 120);
        assertThat(rx.unprotectRtp(now + 2_002 * MS, next.bytes().clone(), 0, next.bytes().length)).isEqualTo(52);
        rx.close();
        tx1.close();
        tx2.close();
    }

    @ParameterizedTest
    @EnumSource(value = SrtpProfile.class, names = {"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
    void garbageDuringGraceIsCountedOnceOnTheCurrentSession(SrtpProfile profile) {
        SrtpKeys k1 = SrtpRoundTripsAcrossProfilesAndSsrcs.keys(profile, 50);
        SrtpKeys k2 = SrtpRoundTripsAcrossProfilesAndSsrcs.keys(profile, 60);
        try (RekeyingSrtpSession rx = new RekeyingSrtpSession(SrtpSession.create(k1.reversed()));
             SrtpSession tx1 = SrtpSession.create(k1)) {
            rx.rekey(0, SrtpSession.create(k2.reversed()));
            Wire w = rtp(tx1, 5);
            byte[] forged = w.bytes().clone();
            forged[20] ^= 0x40;
            assertThat(SrtpDropReason.ofResult(rx.unprotectRtp(1, forged, 0, forged.length)))
                    .isEqualTo(SrtpDropReason.AUTH_FAILED);
            assertThat(rx.current().stats().inboundDroppedTotal()).isEqualTo(1);
            assertThat(rx.previous().stats().inboundDroppedTotal()).isZero();
            // The genuine packet still passes on the previous keys: the failed tries left no state behind.
            assertThat(rx.unprotectRtp(2, w.bytes().clone(), 0, w.bytes().length)).isEqualTo(52);
        }
    }
}

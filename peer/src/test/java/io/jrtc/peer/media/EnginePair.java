package io.jrtc.peer.media;

import io.jrtc.peer.internal.Jsep;
import io.jrtc.peer.internal.media.MediaEngine;
import io.jrtc.peer.internal.media.Transceiver;
import io.jrtc.sdp.FingerprintAttribute;
import io.jrtc.sdp.MediaDescription;
import io.jrtc.sdp.Origin;
import io.jrtc.sdp.SessionDescription;
import io.jrtc.sdp.Setup;
import io.jrtc.srtp.SrtpKeys;
import io.jrtc.common.SrtpProfile;
import io.jrtc.testkit.BackToBack;
import io.jrtc.testkit.NetemConfig;
import io.jrtc.testkit.VirtualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * Two {@link MediaEngine}s, an offerer A and an answerer B, negotiated with real SDP (the m-sections the engines
 * write, joined by {@link Jsep}), keyed with random SRTP keys, and joined back to back through testkit's emulated
 * links on a virtual clock. Deterministic for a given seed.
 */
final class EnginePair {

    /** A host on the virtual clock: always "on the loop"; tasks run at once. */
    static final class TestHost implements MediaEngine.Host {
        final VirtualClock clock;
        int wakes;
        int negotiationsNeeded;

        TestHost(VirtualClock clock) {
            this.clock = clock;
        }

        @Override
        public long nanoTime() {
            return clock.now();
        }

        @Override
        public boolean inLoop() {
            return true;
        }

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public void wake() {
            wakes++;
        }

        @Override
        public void negotiationNeeded() {
            negotiationsNeeded++;
        }
    }

    final VirtualClock clock = new VirtualClock(1_000_000_000L);
    final TestHost hostA = new TestHost(clock);
    final TestHost hostB = new TestHost(clock);
    final MediaEngine a;
    final MediaEngine b;
    SessionDescription offer;
    SessionDescription answer;
    BackToBack link;
    /** The keys A protects with (B's reversed), once connected. */
    SrtpKeys keysA;
    final List<TrackEvent> tracksAtB = new ArrayList<>();
    final List<TrackEvent> tracksAtA = new ArrayList<>();

    EnginePair(long seed) {
        a = new MediaEngine(hostA, "A", 0, seed);
        b = new MediaEngine(hostB, "B", 0, seed + 1);
        a.onTrack(tracksAtA::add);
        b.onTrack(tracksAtB::add);
    }

    static Jsep.LocalTransport transport(String ufrag) {
        StringBuilder fp = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            fp.append(i == 0 ? "" : ":").append(String.format("%02X", i * 7));
        }
        return new Jsep.LocalTransport(ufrag, "p4sswordp4sswordp4ssword", List.of(new FingerprintAttribute("sha-256", fp.toString())),
                Setup.ACTPASS, List.of(), false);
    }

    /** A's offer over every transceiver of A (mids 0, 1, ... in creation order). */
    SessionDescription createOffer() {
        List<MediaDescription> sections = new ArrayList<>();
        int mid = 0;
        for (Transceiver t : a.transceivers()) {
            if (t.mid() == null) {
                a.assignMid(t, Integer.toString(mid));
            }
            mid++;
            sections.add(a.offerSection(t));
        }
        return Jsep.offer(Origin.jsep("1", 1), transport("aaaa"), sections);
    }

    /** Offer from A, applied at B; {@code beforeAnswer} runs at B between the offer and its answer. */
    void negotiate(UnaryOperator<SessionDescription> tamperOffer, Runnable beforeAnswer, UnaryOperator<SessionDescription> tamperAnswer) {
        offer = tamperOffer.apply(createOffer());
        b.applyRemoteDescription(offer, true);
        beforeAnswer.run();
        SessionDescription ans = Jsep.answer(Origin.jsep("2", 1), transport("bbbb"), offer, (i, m) -> b.answerSection(m));
        answer = tamperAnswer.apply(ans);
        a.applyRemoteDescription(answer, false);
        a.applyNegotiation(offer, answer);
        b.applyNegotiation(answer, offer);
    }

    void negotiate(Runnable beforeAnswer) {
        negotiate(UnaryOperator.identity(), beforeAnswer, UnaryOperator.identity());
    }

    /** Keys both sides (A is the DTLS client) and joins them through the links. */
    void connect(SrtpProfile profile, NetemConfig aToB, NetemConfig bToA, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] material = new byte[profile.keyingMaterialLength()];
        for (int i = 0; i < material.length; i++) {
            material[i] = (byte) r.nextInt();
        }
        keysA = SrtpKeys.fromDtlsKeyingMaterial(profile, material, true);
        a.startSrtp(clock.now(), keysA);
        b.startSrtp(clock.now(), SrtpKeys.fromDtlsKeyingMaterial(profile, material, false));
        link = new BackToBack(a, b, aToB, bToA, seed, clock);
    }

    Transceiver transceiverB(MediaKind kind) {
        for (Transceiver t : b.transceivers()) {
            if (t.kind() == kind) {
                return t;
            }
        }
        throw new AssertionError("no " + kind + " transceiver at B");
    }

    Transceiver transceiverA(MediaKind kind) {
        for (Transceiver t : a.transceivers()) {
            if (t.kind() == kind) {
                return t;
            }
        }
        throw new AssertionError("no " + kind + " transceiver at A");
    }
}

package io.jrtc.sctp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.DatagramCore;
import io.jrtc.sctp.packet.SackChunk;
import io.jrtc.sctp.packet.SackChunk.GapAckBlock;
import org.junit.jupiter.api.Test;

/** RFC 9260 §6.2 SACK timing and gap reporting, on the receiver's TSN tracker alone. */
class DelayedSackPolicyTest {

    static final long MS = 1_000_000;
    static final long DELAY = 200 * MS;

    private static void packet(DataTracker t, long now, long tsn) {
        boolean gaps = t.hasGaps();
        t.add(tsn);
        t.afterDataPacket(now, false, gaps, DELAY, 2, 0, 1000 * MS);
    }

    @Test
    void everySecondPacketOrWithin200Milliseconds() {
        DataTracker t = new DataTracker(100);
        packet(t, 0, 100);
        assertThat(t.sackDue(0)).isFalse();
        assertThat(t.delayedAckDeadline()).isEqualTo(DELAY);
        packet(t, 5 * MS, 101);
        assertThat(t.sackDue(5 * MS)).as("second packet").isTrue();
        SackChunk s = t.buildSack(1000, 1200);
        assertThat(s.cumulativeTsnAck()).isEqualTo(101);
        assertThat(t.delayedAckDeadline()).isEqualTo(DatagramCore.NO_TIMEOUT);
        packet(t, 10 * MS, 102);
        assertThat(t.sackDue(10 * MS + DELAY - 1)).isFalse();
        t.onDelayedAckTimeout(10 * MS + DELAY);
        assertThat(t.sackDue(10 * MS + DELAY)).as("timer").isTrue();
    }

    @Test
    void quickAckAcknowledgesEveryPacketThenFallsBackAfterTheBudget() {
        DataTracker t = new DataTracker(1);
        int sacks = 0;
        for (int i = 0; i < 10; i++) {
            t.add(1 + i);
            t.afterDataPacket(i * MS, false, false, DELAY, 2, 4, 1000 * MS);
            if (t.sackDue(i * MS)) {
                sacks++;
                t.buildSack(1000, 1200);
            }
        }
        assertThat(sacks).as("4 quick + 3 every second packet").isEqualTo(7);
        // after an idle second the budget is back
        t.add(11);
        t.afterDataPacket(2000 * MS, false, false, DELAY, 2, 4, 1000 * MS);
        assertThat(t.sackDue(2000 * MS)).isTrue();
    }

    @Test
    void outOfOrderAndDuplicatesAreAcknowledgedAtOnceWithGapBlocks() {
        DataTracker t = new DataTracker(10);
        packet(t, 0, 10);
        packet(t, 0, 12);
        assertThat(t.sackDue(0)).isTrue();
        packet(t, 0, 14);
        packet(t, 0, 15);
        SackChunk s = t.buildSack(500, 1200);
        assertThat(s.cumulativeTsnAck()).isEqualTo(10);
        assertThat(s.gapAckBlocks()).containsExactly(new GapAckBlock(2, 2), new GapAckBlock(4, 5));
        assertThat(t.isDuplicate(12)).isTrue();
        t.addDuplicate(12);
        assertThat(t.sackDue(0)).isTrue();
        packet(t, 0, 11);
        packet(t, 0, 13);
        SackChunk s2 = t.buildSack(500, 1200);
        assertThat(s2.cumulativeTsnAck()).as("holes filled, ranges merged").isEqualTo(15);
        assertThat(s2.gapAckBlocks()).isEmpty();
        assertThat(s2.duplicateTsns()).containsExactly(12L);
    }

    @Test
    void tsnsWrapAroundTwoToTheThirtyTwo() {
        DataTracker t = new DataTracker(0xFFFF_FFFEL);
        for (long wire : new long[] {0xFFFF_FFFEL, 0xFFFF_FFFFL, 0, 2}) {
            long u = t.unwrap(wire);
            assertThat(t.isDuplicate(u)).isFalse();
            t.add(u);
        }
        SackChunk s = t.buildSack(1, 1200);
        assertThat(s.cumulativeTsnAck()).isEqualTo(0);
        assertThat(s.gapAckBlocks()).containsExactly(new GapAckBlock(2, 2));
        assertThat(t.forwardTo(t.unwrap(5))).isTrue();
        assertThat(t.buildSack(1, 1200).cumulativeTsnAck()).isEqualTo(5);
    }

    @Test
    void aSackNeverOutgrowsItsRoom() {
        DataTracker t = new DataTracker(0);
        for (int i = 0; i < 2000; i += 2) {
            t.add(i);
        }
        SackChunk s = t.buildSack(1, 200);
        assertThat(s.length()).isLessThanOrEqualTo(200);
        assertThat(s.gapAckBlocks()).hasSize((200 - 16) / 4);
    }
}

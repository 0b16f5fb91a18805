package io.jrtc.datachannel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A message kept as the fragments it arrived in reads like one buffer, and is joined only when asked. */
class DataChannelMessageFragmentsTest {

    private static final byte[] TEXT = "naïve café, 日本".getBytes(StandardCharsets.UTF_8);

    /** {@link #TEXT} cut inside its multi-byte characters, each piece a view at an offset of a larger array. */
    private static List<ByteBuffer> cut(int... at) {
        java.util.ArrayList<ByteBuffer> out = new java.util.ArrayList<>();
        int from = 0;
        for (int i = 0; i <= at.length; i++) {
            int to = i < at.length ? at[i] : TEXT.length;
            byte[] backing = new byte[to - from + 7];
            System.arraycopy(TEXT, from, backing, 5, to - from);
            out.add(ByteBuffer.wrap(backing, 5, to - from).slice());
            from = to;
        }
        return out;
    }

    @Test
    void fragmentsReadAsOneMessageWithoutBeingJoined() throws Exception {
        List<ByteBuffer> parts = cut(3, 4, 13, 15); // inside "ï", inside "é", inside "日"
        DataChannelMessage m = DataChannelMessage.ofFragments(parts, false);
        assertThat(m.size()).isEqualTo(TEXT.length);
        assertThat(m.buffers()).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(m.buffers().get(i).array()).as("fragment %d is not copied", i).isSameAs(parts.get(i).array());
        }
        assertThat(m.toByteArray()).isEqualTo(TEXT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        assertThat(out.toByteArray()).isEqualTo(TEXT);
        assertThat(m.text()).isEqualTo("naïve café, 日本");
        assertThat(m.isContiguous()).isFalse();

        ByteBuffer joined = m.data();
        assertThat(m.isContiguous()).isTrue();
        assertThat(m.data()).isSameAs(joined);
        byte[] got = new byte[joined.remaining()];
        joined.duplicate().get(got);
        assertThat(got).isEqualTo(TEXT);
    }

    @Test
    void equalityIsAboutTypeAndBytesNotHowTheyAreSplit() {
        DataChannelMessage one = new DataChannelMessage(ByteBuffer.wrap(TEXT), false);
        DataChannelMessage split = DataChannelMessage.ofFragments(cut(1, 9), false);
        assertThat(split).isEqualTo(one).hasSameHashCodeAs(one);
        assertThat(DataChannelMessage.ofFragments(cut(1, 9), true)).isNotEqualTo(one);
        byte[] other = TEXT.clone();
        other[other.length - 1] ^= 1;
        assertThat(new DataChannelMessage(ByteBuffer.wrap(other), false)).isNotEqualTo(split);
        assertThat(split.toString()).contains("text", TEXT.length + " bytes", "3 buffers");
    }

    @Test
    void aSingleBufferIsHandedOverAsItIs() {
        ByteBuffer b = ByteBuffer.wrap(TEXT, 2, 6).slice();
        DataChannelMessage m = new DataChannelMessage(b, true);
        assertThat(m.data()).isSameAs(b);
        assertThat(m.isContiguous()).isTrue();
        assertThat(m.buffers()).singleElement().satisfies(v -> assertThat(v.array()).isSameAs(TEXT));
        assertThat(m.toByteArray()).containsExactly(java.util.Arrays.copyOfRange(TEXT, 2, 8));
    }

    @Test
    void aMessageHasAtLeastOneBuffer() {
        assertThatThrownBy(() -> DataChannelMessage.ofFragments(List.of(), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one buffer");
        assertThat(DataChannelMessage.ofFragments(List.of(ByteBuffer.allocate(0)), true).size()).isZero();
    }
}

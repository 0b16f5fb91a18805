package io.jrtc.sctp;

import io.jrtc.common.ErrorKind;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/** What an {@link SctpAssociation} reports through {@link SctpAssociation#pollEvent()}. */
public sealed interface SctpEvent {

    /** The association reached ESTABLISHED (once per association; again after a peer restart). */
    record Connected() implements SctpEvent {
    }

    /**
     * A whole message arrived. Partially reliable messages that were abandoned are never delivered in part.
     *
     * @param fragments the message's bytes in order, one buffer per DATA chunk it arrived in (one for a message that
     *                  fit one packet), never empty. Each buffer is the caller's (position 0, limit at the end) and is
     *                  usually a view of the decrypted packet it arrived in: nothing writes those bytes again. They
     *                  are not joined, so a fragmented message costs no copy here; {@link #data()} joins them.
     */
    record MessageReceived(int streamId, int ppid, List<ByteBuffer> fragments, boolean unordered) implements SctpEvent {

        public MessageReceived {
            fragments = List.copyOf(fragments);
            if (fragments.isEmpty()) {
                throw new IllegalArgumentException("a message has at least one fragment");
            }
        }

        /** A message in one buffer. */
        public MessageReceived(int streamId, int ppid, ByteBuffer data, boolean unordered) {
            this(streamId, ppid, List.of(data), unordered);
        }

        /** Bytes in the message. */
        public int size() {
            int n = 0;
            for (ByteBuffer b : fragments) {
                n += b.remaining();
            }
            return n;
        }

        /**
         * The message in one buffer: the only fragment itself, or (for a fragmented message) a new buffer the
         * fragments are copied into at each call.
         */
        public ByteBuffer data() {
            if (fragments.size() == 1) {
                return fragments.get(0);
            }
            ByteBuffer out = ByteBuffer.allocate(size());
            for (ByteBuffer b : fragments) {
                out.put(b.duplicate());
            }
            return out.flip();
        }
    }

    /** The peer reset its outgoing streams, our incoming ones (RFC 6525): for data channels, the peer closed them. */
    record IncomingStreamsReset(int[] streamIds) implements SctpEvent {
        @Override
        public boolean equals(Object o) {
            return o instanceof IncomingStreamsReset r && Arrays.equals(streamIds, r.streamIds);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(streamIds);
        }

        @Override
        public String toString() {
            return "IncomingStreamsReset" + Arrays.toString(streamIds);
        }
    }

    /** Our request to reset outgoing streams completed; their ids may be reused. */
    record OutgoingStreamsReset(int[] streamIds) implements SctpEvent {
        @Override
        public boolean equals(Object o) {
            return o instanceof OutgoingStreamsReset r && Arrays.equals(streamIds, r.streamIds);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(streamIds);
        }

        @Override
        public String toString() {
            return "OutgoingStreamsReset" + Arrays.toString(streamIds);
        }
    }

    /** Our reset request was refused or is not supported by the peer. */
    record StreamResetFailed(int[] streamIds, String reason) implements SctpEvent {
        @Override
        public boolean equals(Object o) {
            return o instanceof StreamResetFailed r && Arrays.equals(streamIds, r.streamIds) && reason.equals(r.reason);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(streamIds) * 31 + reason.hashCode();
        }

        @Override
        public String toString() {
            return "StreamResetFailed" + Arrays.toString(streamIds) + ": " + reason;
        }
    }

    /** The stream's unsent bytes fell to or below its low threshold (W3C {@code bufferedamountlow}). */
    record BufferedAmountLow(int streamId) implements SctpEvent {
    }

    /** A partially reliable message was abandoned (RFC 3758); the receiver will not see it. */
    record MessageAbandoned(int streamId, int ppid, int size, boolean unordered) implements SctpEvent {
    }

    /** The peer restarted the association (RFC 9260 §5.2.4 case A); stream state starts over. */
    record Restarted() implements SctpEvent {
    }

    /** The association closed gracefully (SHUTDOWN sequence complete). */
    record Closed() implements SctpEvent {
    }

    /** The association ended abnormally: ABORT sent or received, retransmission limits, or a protocol error. */
    record Aborted(ErrorKind kind, String reason) implements SctpEvent {
    }
}

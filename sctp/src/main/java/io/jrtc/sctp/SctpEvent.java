package io.jrtc.sctp;

import io.jrtc.common.ErrorKind;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** What an {@link SctpAssociation} reports through {@link SctpAssociation#pollEvent()}. */
public sealed interface SctpEvent {

    /** The association reached ESTABLISHED (once per association; again after a peer restart). */
    record Connected() implements SctpEvent {
    }

    /**
     * A whole message arrived. Partially reliable messages that were abandoned are never delivered in part.
     *
     * @param data the message; the buffer is the caller's (position 0, limit at the end)
     */
    record MessageReceived(int streamId, int ppid, ByteBuffer data, boolean unordered) implements SctpEvent {
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

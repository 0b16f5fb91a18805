package io.jrtc.datachannel;

/** SCTP Payload Protocol Identifiers used by WebRTC (RFC 8831 §8, RFC 8832 §8.1). */
public final class Ppid {
    /** DCEP (DATA_CHANNEL_OPEN / DATA_CHANNEL_ACK). */
    public static final int DCEP = 50;
    /** WebRTC String (UTF-8). */
    public static final int STRING = 51;
    /** WebRTC Binary Partial (deprecated; ignored on receipt). */
    public static final int BINARY_PARTIAL = 52;
    /** WebRTC Binary. */
    public static final int BINARY = 53;
    /** WebRTC String Partial (deprecated; ignored on receipt). */
    public static final int STRING_PARTIAL = 54;
    /** WebRTC String Empty: an empty string, sent as one ignored byte since SCTP cannot carry empty messages. */
    public static final int STRING_EMPTY = 56;
    /** WebRTC Binary Empty: an empty binary message, sent as one ignored byte. */
    public static final int BINARY_EMPTY = 57;

    private Ppid() {
    }
}

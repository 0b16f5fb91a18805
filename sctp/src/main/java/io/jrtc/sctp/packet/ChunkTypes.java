package io.jrtc.sctp.packet;

/** Chunk type codes (RFC 9260 §3.2, RFC 3758 §3.2, RFC 6525 §3.1, RFC 8260 §2.1). */
public final class ChunkTypes {

    public static final int DATA = 0;
    public static final int INIT = 1;
    public static final int INIT_ACK = 2;
    public static final int SACK = 3;
    public static final int HEARTBEAT = 4;
    public static final int HEARTBEAT_ACK = 5;
    public static final int ABORT = 6;
    public static final int SHUTDOWN = 7;
    public static final int SHUTDOWN_ACK = 8;
    public static final int ERROR = 9;
    public static final int COOKIE_ECHO = 10;
    public static final int COOKIE_ACK = 11;
    public static final int ECNE = 12;
    public static final int CWR = 13;
    public static final int SHUTDOWN_COMPLETE = 14;
    /** I-DATA (RFC 8260), not implemented: it parses as {@link UnknownChunk}. */
    public static final int I_DATA = 64;
    public static final int RE_CONFIG = 130;
    public static final int FORWARD_TSN = 192;
    /** I-FORWARD-TSN (RFC 8260), not implemented. */
    public static final int I_FORWARD_TSN = 194;

    private ChunkTypes() {
    }

    /** The RFC name of a chunk type, or {@code "UNKNOWN(n)"}. */
    public static String name(int type) {
        return switch (type) {
            case DATA -> "DATA";
            case INIT -> "INIT";
            case INIT_ACK -> "INIT ACK";
            case SACK -> "SACK";
            case HEARTBEAT -> "HEARTBEAT";
            case HEARTBEAT_ACK -> "HEARTBEAT ACK";
            case ABORT -> "ABORT";
            case SHUTDOWN -> "SHUTDOWN";
            case SHUTDOWN_ACK -> "SHUTDOWN ACK";
            case ERROR -> "ERROR";
            case COOKIE_ECHO -> "COOKIE ECHO";
            case COOKIE_ACK -> "COOKIE ACK";
            case ECNE -> "ECNE";
            case CWR -> "CWR";
            case SHUTDOWN_COMPLETE -> "SHUTDOWN COMPLETE";
            case I_DATA -> "I-DATA";
            case RE_CONFIG -> "RE-CONFIG";
            case FORWARD_TSN -> "FORWARD TSN";
            case I_FORWARD_TSN -> "I-FORWARD-TSN";
            default -> "UNKNOWN(" + type + ")";
        };
    }
}

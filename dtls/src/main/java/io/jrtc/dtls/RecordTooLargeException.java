package io.jrtc.dtls;

/** {@link DtlsEndpoint#send} was given more bytes than one DTLS record may carry ({@link DtlsEndpoint#maxApplicationPayload()}). */
public final class RecordTooLargeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int size;
    private final int limit;

    public RecordTooLargeException(int size, int limit) {
        super("application data of " + size + " bytes exceeds the DTLS record payload limit of " + limit + " bytes");
        this.size = size;
        this.limit = limit;
    }

    public int size() {
        return size;
    }

    public int limit() {
        return limit;
    }
}

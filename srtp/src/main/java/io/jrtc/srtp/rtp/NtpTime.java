package io.jrtc.srtp.rtp;

/**
 * NTP timestamps as RTCP uses them (RFC 3550 section 4): 64-bit fixed point, seconds since 1900-01-01 in the high
 * 32 bits and the fraction in the low 32, and the "compact" 32-bit form (middle 32 bits, units of 1/65536 s) of the
 * LSR and DLSR fields. Pure arithmetic: the caller supplies the wall-clock time, never this class.
 */
public final class NtpTime {

    /** Seconds from 1900-01-01 (NTP epoch) to 1970-01-01 (Unix epoch). */
    public static final long UNIX_EPOCH_OFFSET_SECONDS = 2_208_988_800L;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private NtpTime() {
    }

    /** The 64-bit NTP timestamp for a Unix time in nanoseconds. */
    public static long fromUnixNanos(long unixNanos) {
        long seconds = Math.floorDiv(unixNanos, NANOS_PER_SECOND);
        long nanos = Math.floorMod(unixNanos, NANOS_PER_SECOND);
        long fraction = (nanos << 32) / NANOS_PER_SECOND;
        return ((seconds + UNIX_EPOCH_OFFSET_SECONDS) << 32) | fraction;
    }

    /** The Unix time in nanoseconds of a 64-bit NTP timestamp (era 0, i.e. before 2036). */
    public static long toUnixNanos(long ntp) {
        long seconds = (ntp >>> 32) - UNIX_EPOCH_OFFSET_SECONDS;
        long fraction = ntp & 0xFFFF_FFFFL;
        return seconds * NANOS_PER_SECOND + ((fraction * NANOS_PER_SECOND) >>> 32);
    }

    /** The middle 32 bits of a 64-bit NTP timestamp: what LSR carries (RFC 3550 section 6.4.1). */
    public static long compact(long ntp) {
        return (ntp >>> 16) & 0xFFFF_FFFFL;
    }

    /** A duration in compact units of 1/65536 s (what DLSR carries), from nanoseconds; saturates at 32 bits. */
    public static long compactFromNanos(long nanos) {
        if (nanos <= 0) {
            return 0;
        }
        long units = nanos > (Long.MAX_VALUE >> 16) ? Long.MAX_VALUE : (nanos << 16) / NANOS_PER_SECOND;
        return Math.min(units, 0xFFFF_FFFFL);
    }

    /** A compact duration (1/65536 s units) in nanoseconds. */
    public static long compactToNanos(long compact) {
        return ((compact & 0xFFFF_FFFFL) * NANOS_PER_SECOND) >>> 16;
    }
}

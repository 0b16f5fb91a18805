package io.jrtc.cli;

/**
 * An echo throughput run: messages sent to the echo agent and received back, checked.
 *
 * @param messageSize bytes per message
 * @param messages    messages echoed back (each checked: size and sequence number)
 * @param bytes       payload bytes echoed back
 * @param seconds     from the first send to the last echo
 */
public record Throughput(int messageSize, long messages, long bytes, double seconds) {

    /** Echoed payload in MB/s (10^6 bytes per second). Each byte crossed the link twice: there and back. */
    public double megabytesPerSecond() {
        return seconds <= 0 ? 0 : bytes / seconds / 1e6;
    }
}

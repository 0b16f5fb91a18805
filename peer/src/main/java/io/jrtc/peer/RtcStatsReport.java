package io.jrtc.peer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * W3C {@code RTCStatsReport}: every stats entry by id, taken at one instant.
 *
 * @param timestampNanos when the report was taken (JVM monotonic clock)
 * @param stats          entries by {@link RtcStats#id()}, in a stable order
 */
public record RtcStatsReport(long timestampNanos, Map<String, RtcStats> stats) {

    public RtcStatsReport {
        stats = Collections.unmodifiableMap(new LinkedHashMap<>(stats));
    }

    /** Every entry of one kind, e.g. {@code report.all(RtcStats.DataChannel.class)}. */
    public <T extends RtcStats> List<T> all(Class<T> kind) {
        List<T> out = new ArrayList<>();
        for (RtcStats s : stats.values()) {
            if (kind.isInstance(s)) {
                out.add(kind.cast(s));
            }
        }
        return out;
    }

    /** The first entry of one kind. */
    public <T extends RtcStats> Optional<T> first(Class<T> kind) {
        return all(kind).stream().findFirst();
    }

    /** The selected candidate pair, if the transport has one. */
    public Optional<RtcStats.CandidatePair> selectedCandidatePair() {
        return all(RtcStats.CandidatePair.class).stream().filter(RtcStats.CandidatePair::selected).findFirst();
    }

    /** The data channel with this label (the latest one, if several). */
    public Optional<RtcStats.DataChannel> dataChannel(String label) {
        RtcStats.DataChannel found = null;
        for (RtcStats.DataChannel d : all(RtcStats.DataChannel.class)) {
            if (d.label().equals(label)) {
                found = d;
            }
        }
        return Optional.ofNullable(found);
    }
}

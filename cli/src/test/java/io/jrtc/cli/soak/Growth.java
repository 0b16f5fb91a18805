package io.jrtc.cli.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The leak rule of the churn test, for one figure sampled at checkpoints (every 500 cycles). The first {@code warmUp}
 * samples are warm-up (JIT, class loading, pools filling) and only printed. Over the rest, x<sub>0</sub> .. x<sub>n</sub>
 * (n windows), the figure <b>leaks</b> when either
 * <ol>
 *   <li>it grew (x<sub>i+1</sub> &gt; x<sub>i</sub>) in at least three quarters of the n windows <em>and</em>
 *       x<sub>n</sub> &minus; x<sub>0</sub> &gt; {@code trendBound}: steady growth beyond noise; or</li>
 *   <li>x<sub>n</sub> &minus; x<sub>0</sub> &gt; {@code hardBound}, however it got there.</li>
 * </ol>
 * A figure that goes up and down (GC timing, a JIT compiler thread that comes and goes) passes; one that creeps up
 * window after window by more than the trend bound in all fails.
 */
record Growth(String name, String unit, int warmUp, double trendBound, double hardBound) {

    /** The verdict, with the numbers behind it. */
    record Verdict(boolean leaks, int grewIn, int windows, double delta, String why) {
    }

    Verdict judge(List<Double> samples) {
        if (samples.size() < warmUp + 3) {
            throw new IllegalArgumentException(name + ": too few samples (" + samples.size() + ") for a warm-up of " + warmUp);
        }
        List<Double> xs = samples.subList(warmUp, samples.size());
        int windows = xs.size() - 1;
        int grew = 0;
        for (int i = 0; i < windows; i++) {
            if (xs.get(i + 1) > xs.get(i)) {
                grew++;
            }
        }
        double delta = xs.getLast() - xs.getFirst();
        boolean steady = grew * 4 >= windows * 3 && delta > trendBound;
        boolean big = delta > hardBound;
        String why = String.format(Locale.ROOT, "%s: grew in %d of %d windows after warm-up, last - first = %+.2f %s "
                        + "(fails if it grew in >= 3/4 of the windows and by > %.2f, or by > %.2f in all)",
                name, grew, windows, delta, unit, trendBound, hardBound);
        return new Verdict(steady || big, grew, windows, delta, why);
    }

    /** The curve as a table: one row per checkpoint. */
    static String table(List<Integer> cycles, List<String> names, List<List<Double>> columns) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%8s", "cycles"));
        names.forEach(n -> sb.append(String.format(Locale.ROOT, " %10s", n)));
        sb.append('\n');
        for (int r = 0; r < cycles.size(); r++) {
            sb.append(String.format(Locale.ROOT, "%8d", cycles.get(r)));
            for (List<Double> c : columns) {
                sb.append(String.format(Locale.ROOT, " %10.2f", c.get(r)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static List<Double> column(List<double[]> rows, int index) {
        List<Double> out = new ArrayList<>();
        rows.forEach(r -> out.add(r[index]));
        return out;
    }
}

package io.jrtc.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus text exposition (version 0.0.4) read into families: each {@code # TYPE} line's name and type, and the
 * samples that belong to it (a histogram's {@code _bucket}, {@code _count} and {@code _sum} samples belong to it).
 * Only what the naming tests need; a line it cannot read is an error.
 */
record PrometheusText(Map<String, String> types, Map<String, List<Sample>> samples) {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One sample: its own name (with a suffix such as {@code _bucket}), its labels and its value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    static PrometheusText parse(String text) {
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] f = line.split(" ");
                types.put(f[2], f[3]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                Matcher m = SAMPLE.matcher(line);
                if (!m.matches()) {
                    throw new IllegalArgumentException("not a sample line: " + line);
                }
                String family = family(m.group(1), types);
                if (family == null) {
                    throw new IllegalArgumentException("a sample of no declared family: " + line);
                }
                Map<String, String> labels = new LinkedHashMap<>();
                if (m.group(3) != null) {
                    Matcher l = LABEL.matcher(m.group(3));
                    while (l.find()) {
                        labels.put(l.group(1), l.group(2));
                    }
                }
                samples.computeIfAbsent(family, k -> new ArrayList<>())
                        .add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
            }
        }
        return new PrometheusText(types, samples);
    }

    /** The family a sample belongs to: its own name, or without a histogram's or summary's suffix. */
    private static String family(String sample, Map<String, String> types) {
        if (types.containsKey(sample)) {
            return sample;
        }
        for (String suffix : List.of("_bucket", "_count", "_sum", "_max")) {
            if (sample.endsWith(suffix) && types.containsKey(sample.substring(0, sample.length() - suffix.length()))) {
                return sample.substring(0, sample.length() - suffix.length());
            }
        }
        return null;
    }

    /** The samples of one family (none when it is absent). */
    List<Sample> of(String family) {
        return samples.getOrDefault(family, List.of());
    }
}

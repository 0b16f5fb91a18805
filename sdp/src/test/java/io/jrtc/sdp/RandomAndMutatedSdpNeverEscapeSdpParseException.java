package io.jrtc.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fuzz-style property test: thousands of random texts and mutated real captures (lines deleted,
 * duplicated, swapped, spliced; characters corrupted, inserted, deleted; numbers blown up; texts cut
 * short). Every input either parses, or fails with {@link SdpParseException}; nothing else may escape.
 * Whatever parses must serialise and re-parse to an equal value.
 *
 * <p>The seed is fixed for repeatability; set {@code -Dsdp.fuzz.seed=<n>} to explore others.
 */
class RandomAndMutatedSdpNeverEscapeSdpParseException {

    private static final long SEED = Long.getLong("sdp.fuzz.seed", 0x5D9_F022L);
    private static final int MUTANTS_PER_CAPTURE = 1500;
    private static final int RANDOM_TEXTS = 4000;
    private static final String SDP_ALPHABET = "vosiuepcbtrzkam=:/ .-+*0123456789abcdefABCDEF\r\n\r\n";

    private final Random random = new Random(SEED);
    private int accepted;
    private int rejected;

    @Test
    void mutatedCapturesParseOrFailWithSdpParseException() {
        List<String> captures = Captures.SDP_FILES.stream().map(Captures::text).toList();
        for (String capture : captures) {
            for (int i = 0; i < MUTANTS_PER_CAPTURE; i++) {
                String mutant = capture;
                int rounds = 1 + random.nextInt(4);
                for (int r = 0; r < rounds; r++) {
                    mutant = mutate(mutant, captures);
                }
                check(mutant);
            }
        }
        assertThat(accepted + rejected).isEqualTo(captures.size() * MUTANTS_PER_CAPTURE);
        // the mutations must exercise both outcomes, or the test proves nothing
        assertThat(accepted).isGreaterThan(500);
        assertThat(rejected).isGreaterThan(5000);
    }

    @Test
    void randomTextsParseOrFailWithSdpParseException() {
        for (int i = 0; i < RANDOM_TEXTS; i++) {
            StringBuilder sb = new StringBuilder();
            if (random.nextBoolean()) {
                sb.append("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n");
            }
            int n = random.nextInt(400);
            for (int j = 0; j < n; j++) {
                sb.append(random.nextInt(8) == 0 ? (char) random.nextInt(0x3000)
                        : SDP_ALPHABET.charAt(random.nextInt(SDP_ALPHABET.length())));
            }
            check(sb.toString());
        }
        assertThat(accepted + rejected).isEqualTo(RANDOM_TEXTS);
        assertThat(rejected).isGreaterThan(RANDOM_TEXTS / 2);
    }

    @Test
    void mutatedCandidatesParseOrFailWithSdpParseException() {
        List<String> seeds = new ArrayList<>();
        for (String f : Captures.TRICKLE_FILES) {
            seeds.addAll(Arrays.asList(Captures.text(f).split("\n")));
        }
        seeds.removeIf(String::isBlank);
        int ok = 0;
        int bad = 0;
        for (int i = 0; i < 20_000; i++) {
            String s = seeds.get(random.nextInt(seeds.size()));
            int rounds = 1 + random.nextInt(3);
            for (int r = 0; r < rounds; r++) {
                s = mutateChars(s);
            }
            try {
                Candidate c = Candidate.parse(s);
                assertThat(Candidate.parse(c.toString())).isEqualTo(c);
                ok++;
            } catch (SdpParseException e) {
                assertThat(e.error()).isNotNull();
                bad++;
            } catch (Throwable t) {
                fail("Candidate.parse threw " + t + " for: " + printable(s), t);
            }
        }
        assertThat(ok).isGreaterThan(1000);
        assertThat(bad).isGreaterThan(1000);
    }

    @Test
    void mutatedAttributeValuesParseOrFailWithSdpParseException() {
        List<Attribute> seeds = new ArrayList<>();
        for (String f : Captures.SDP_FILES) {
            SessionDescription sdp = Captures.parse(f);
            seeds.addAll(sdp.attributes());
            sdp.media().forEach(m -> seeds.addAll(m.attributes()));
        }
        seeds.removeIf(Attribute::isFlag);
        for (int i = 0; i < 20_000; i++) {
            Attribute seed = seeds.get(random.nextInt(seeds.size()));
            String value = mutateChars(seed.value());
            String line = seed.name() + ':' + value;
            try {
                Attribute a = Attribute.parse(line);
                assertThat(a.name()).isEqualTo(seed.name());
                assertThat(Attribute.parse(a.toString())).isEqualTo(a);
                accepted++;
            } catch (SdpParseException e) {
                rejected++;
            } catch (Throwable t) {
                fail("Attribute.parse threw " + t + " for: " + printable(line), t);
            }
            // the typed parsers on their own
            try {
                switch (seed.name()) {
                    case "rtpmap" -> RtpMap.parse(value);
                    case "fmtp" -> Fmtp.parse(value).parameterMap();
                    case "rtcp-fb" -> RtcpFb.parse(value);
                    case "extmap" -> ExtMap.parse(value);
                    case "ssrc" -> Ssrc.parse(value);
                    case "ssrc-group" -> SsrcGroup.parse(value);
                    case "msid" -> Msid.parse(value);
                    case "group" -> Group.parse(value);
                    case "fingerprint" -> FingerprintAttribute.parse(value).bytes();
                    case "setup" -> Setup.parse(value);
                    default -> {
                    }
                }
            } catch (SdpParseException e) {
                assertThat(e.error()).isNotNull();
            } catch (Throwable t) {
                fail(seed.name() + " parser threw " + t + " for: " + printable(value), t);
            }
        }
        assertThat(accepted).isGreaterThan(1000);
        assertThat(rejected).isGreaterThan(1000);
    }

    private void check(String text) {
        SessionDescription sdp;
        try {
            sdp = SessionDescription.parse(text);
        } catch (SdpParseException e) {
            assertThat(e.error()).isNotNull();
            assertThat(e.lineNumber()).isGreaterThanOrEqualTo(0);
            rejected++;
            return;
        } catch (Throwable t) {
            fail("parse threw " + t + " for:\n" + printable(text), t);
            return;
        }
        accepted++;
        String out = sdp.serialize();
        try {
            SessionDescription again = SessionDescription.parse(out);
            assertThat(again).isEqualTo(sdp);
            assertThat(again.serialize()).isEqualTo(out);
            // typed views never throw on a parsed description
            for (MediaDescription m : sdp.media()) {
                m.candidates();
                m.codecs();
                m.extMaps();
                m.ssrcs();
                m.ssrcGroups();
                m.msids();
                m.fingerprints().forEach(FingerprintAttribute::bytes);
                m.setup();
                m.sctpPort();
                m.maxMessageSize();
                m.direction();
                sdp.iceUfragFor(m);
            }
            sdp.groups();
        } catch (Throwable t) {
            fail("accepted description does not round-trip: " + t + "\n" + printable(text), t);
        }
    }

    private String mutate(String text, List<String> captures) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\r\n", -1)));
        switch (random.nextInt(11)) {
            case 0 -> {
                if (!lines.isEmpty()) {
                    lines.remove(random.nextInt(lines.size()));
                }
            }
            case 1 -> {
                if (!lines.isEmpty()) {
                    int i = random.nextInt(lines.size());
                    lines.add(i, lines.get(i));
                }
            }
            case 2 -> {
                if (lines.size() > 1) {
                    int i = random.nextInt(lines.size());
                    int j = random.nextInt(lines.size());
                    String t = lines.get(i);
                    lines.set(i, lines.get(j));
                    lines.set(j, t);
                }
            }
            case 3 -> {
                String other = captures.get(random.nextInt(captures.size()));
                String[] ol = other.split("\r\n");
                lines.add(random.nextInt(lines.size() + 1), ol[random.nextInt(ol.length)]);
            }
            case 4 -> {
                String other = captures.get(random.nextInt(captures.size()));
                int cut = random.nextInt(text.length() + 1);
                int from = random.nextInt(other.length() + 1);
                return text.substring(0, cut) + other.substring(from);
            }
            case 5 -> {
                return text.substring(0, random.nextInt(text.length() + 1));
            }
            case 6 -> {
                return text.replace("\r\n", "\n");
            }
            case 7 -> {
                if (!lines.isEmpty()) {
                    int i = random.nextInt(lines.size());
                    lines.set(i, blowUpNumber(lines.get(i)));
                }
            }
            default -> {
                if (!lines.isEmpty()) {
                    int i = random.nextInt(lines.size());
                    lines.set(i, mutateChars(lines.get(i)));
                }
            }
        }
        return String.join("\r\n", lines);
    }

    private String blowUpNumber(String line) {
        int start = -1;
        for (int i = 0; i < line.length(); i++) {
            if (Character.isDigit(line.charAt(i))) {
                start = i;
                if (random.nextBoolean()) {
                    break;
                }
            }
        }
        if (start < 0) {
            return line;
        }
        int end = start;
        while (end < line.length() && Character.isDigit(line.charAt(end))) {
            end++;
        }
        String[] replacements = {"", "-1", "0", "65535", "65536", "4294967295", "4294967296",
            "9223372036854775807", "9223372036854775808", "99999999999999999999999", "1e3", "0x10"};
        return line.substring(0, start) + replacements[random.nextInt(replacements.length)] + line.substring(end);
    }

    private String mutateChars(String s) {
        StringBuilder sb = new StringBuilder(s);
        int op = random.nextInt(5);
        int at = sb.isEmpty() ? 0 : random.nextInt(sb.length());
        char[] nasty = {' ', ':', '/', '.', '=', ';', '*', '\0', '\r', '\n', '\t', '%', '-', '\u00e9', '\uffff'};
        switch (op) {
            case 0 -> {
                if (!sb.isEmpty()) {
                    sb.setCharAt(at, nasty[random.nextInt(nasty.length)]);
                }
            }
            case 1 -> sb.insert(at, nasty[random.nextInt(nasty.length)]);
            case 2 -> {
                if (!sb.isEmpty()) {
                    sb.delete(at, Math.min(sb.length(), at + 1 + random.nextInt(6)));
                }
            }
            case 3 -> {
                if (!sb.isEmpty()) {
                    sb.setCharAt(at, (char) (' ' + random.nextInt(95)));
                }
            }
            default -> {
                return blowUpNumber(s);
            }
        }
        return sb.toString();
    }

    private static String printable(String s) {
        return s.replace("\r", "\\r").replace("\0", "\\0");
    }
}

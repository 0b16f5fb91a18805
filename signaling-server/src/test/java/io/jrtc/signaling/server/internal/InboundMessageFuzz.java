package io.jrtc.signaling.server.internal;

import io.jrtc.common.ParseException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property test of the server's message parser: random bytes, mutated valid messages and random JSON-shaped
 * text never make it throw anything but {@link ParseException}, and whatever parses re-validates (every
 * relayed message has a string {@code to}).
 */
class InboundMessageFuzz {

    private static final List<String> SEEDS = List.of(
            "{\"type\":\"register\",\"agent_id\":\"a1\",\"token\":\"v1.YTE.1700000000.abc\"}",
            "{\"type\":\"offer\",\"to\":\"a2\",\"sdp\":\"v=0\\r\\no=- 1 1 IN IP4 0.0.0.0\\r\\n\"}",
            "{\"type\":\"answer\",\"to\":\"a2\",\"sdp\":\"v=0\"}",
            "{\"type\":\"candidate\",\"to\":\"a2\",\"candidate\":\"candidate:1 1 udp 1 1.2.3.4 5 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}",
            "{\"type\":\"candidate\",\"to\":\"a2\",\"candidate\":\"\",\"sdpMid\":null,\"sdpMLineIndex\":null}",
            "{\"type\":\"bye\",\"to\":\"a2\",\"id\":7}",
            "{\"type\":\"candidates\",\"to\":\"a2\",\"id\":8,\"candidates\":[{\"candidate\":\"c1\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0},{\"candidate\":\"\",\"sdpMid\":null}]}",
            "{\"type\":\"register\",\"agent_id\":\"a1\",\"features\":[\"candidates\"]}");

    private static final String ALPHABET = "{}[]\":,. \\tnulltruefalse0123456789-eE+abcdefghijklmnopqrstuvwxyz_\u00e9\u20ac\ud83d\ude00";

    @Test
    void randomAndMutatedInputNeverEscapesAsAnUnexpectedException() {
        SplittableRandom rnd = new SplittableRandom(20261122L);
        int parsed = 0;
        int refused = 0;
        for (int i = 0; i < 30_000; i++) {
            String input = switch (i % 3) {
                case 0 -> randomBytes(rnd);
                case 1 -> mutate(SEEDS.get(rnd.nextInt(SEEDS.size())), rnd);
                default -> randomJsonish(rnd);
            };
            try {
                InboundMessage m = InboundMessage.parse(input);
                parsed++;
                if (m instanceof InboundMessage.Relayed r) {
                    assertThat(r.to()).isNotNull();
                    assertThat(r.body().get("type").isTextual()).isTrue();
                    if (r instanceof InboundMessage.Candidates b) {
                        FuzzedInboundFramesParseOrFailWithParseException.unrollsIntoItsCandidates(b);
                    }
                } else if (m instanceof InboundMessage.Register reg) {
                    assertThat(reg.agentId()).isNotNull();
                }
            } catch (ParseException e) {
                refused++;
                assertThat(e.error()).isNotNull();
            } catch (RuntimeException e) {
                throw new AssertionError("unexpected " + e + " for input: " + input, e);
            }
        }
        assertThat(parsed).as("some mutations stay valid").isGreaterThan(100);
        assertThat(refused).isGreaterThan(10_000);
    }

    private static String randomBytes(SplittableRandom rnd) {
        byte[] b = new byte[rnd.nextInt(0, 200)];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) rnd.nextInt(256);
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String mutate(String seed, SplittableRandom rnd) {
        StringBuilder sb = new StringBuilder(seed);
        int n = rnd.nextInt(1, 4);
        for (int k = 0; k < n && !sb.isEmpty(); k++) {
            int pos = rnd.nextInt(sb.length());
            switch (rnd.nextInt(4)) {
                case 0 -> sb.deleteCharAt(pos);
                case 1 -> sb.insert(pos, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                case 2 -> sb.setCharAt(pos, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                default -> sb.setLength(pos);
            }
        }
        return sb.toString();
    }

    private static String randomJsonish(SplittableRandom rnd) {
        StringBuilder sb = new StringBuilder("{");
        int fields = rnd.nextInt(0, 6);
        String[] names = {"type", "to", "sdp", "candidate", "sdpMid", "sdpMLineIndex", "agent_id", "token", "id", "from",
            "candidates", "features"};
        String[] types = {"register", "offer", "answer", "candidate", "candidates", "bye", "error", "", "x"};
        for (int f = 0; f < fields; f++) {
            if (f > 0) {
                sb.append(',');
            }
            String name = names[rnd.nextInt(names.length)];
            sb.append('"').append(name).append("\":");
            switch (rnd.nextInt(7)) {
                case 0 -> sb.append('"').append(types[rnd.nextInt(types.length)]).append('"');
                case 1 -> sb.append(rnd.nextInt(-5, 70000));
                case 2 -> sb.append("null");
                case 3 -> sb.append("[\"a\",1]");
                case 4 -> sb.append("{\"k\":true}");
                case 5 -> sb.append(rnd.nextDouble());
                default -> sb.append("\"a").append(rnd.nextInt(3)).append('"');
            }
        }
        return sb.append('}').toString();
    }
}

package io.jrtc.mesh.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The line format of an audit log, version {@code jrtc-audit/1} (see mesh/README.md, "Audit trail"). One entry is one
 * line of UTF-8 JSON in one canonical form, ended by a newline:
 *
 * <pre>{"seq":N,"time":"ISO-8601","kind":"k","fields":{"name":"value",...},"prev":"64 hex"[,"sig":"128 hex"]}</pre>
 *
 * <p>No white space; members in that order; every field value a string; {@code sig} only on checkpoints. Strings escape
 * the quote and the backslash, and the control characters U+0000..U+001F and U+007F (as {@code \b \t \n \f \r}, the
 * others as a backslash-u escape with four lower-case hex digits); everything else is written as UTF-8. A line is
 * accepted only if writing its parsed content again gives the same bytes, so each entry has exactly one spelling and
 * the hash chain is over bytes, not over an interpretation.
 */
final class AuditFormat {

    static final String VERSION = "jrtc-audit/1";
    /** The hash a first entry records as its predecessor's. */
    static final String GENESIS = "0".repeat(64);
    /** Signed before a checkpoint's body: binds the signature to this use of the key. */
    static final byte[] SIGNATURE_CONTEXT = (VERSION + " checkpoint\0").getBytes(StandardCharsets.US_ASCII);
    /** Longest line accepted by the verifier, and written by the log. */
    static final int MAX_LINE = 1 << 20;

    static final String KIND_START = "audit.start";
    static final String KIND_CHECKPOINT = "audit.checkpoint";
    static final String KIND_RESUME = "audit.resume";
    static final String KIND_LOST = "audit.lost";
    static final String KIND_RESERVED = "audit.reserved_kind";
    static final String KIND_OVERSIZED = "audit.oversized";
    /** Kinds with this prefix are written by the log itself, never as a caller asked. */
    static final String RESERVED_PREFIX = "audit.";

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final HexFormat HEX = HexFormat.of();

    private AuditFormat() {
    }

    /** One parsed line; {@code sig} is null except on checkpoints. */
    record Entry(long seq, String time, String kind, Map<String, String> fields, String prev, String sig) {

        boolean isCheckpoint() {
            return KIND_CHECKPOINT.equals(kind);
        }
    }

    /** A line that is not a canonical entry. */
    static final class MalformedLine extends Exception {
        MalformedLine(String message) {
            super(message, null, false, false);
        }
    }

    /** The canonical line (without its {@code \n}) of an entry without a signature. */
    static byte[] encode(long seq, String time, String kind, Map<String, String> fields, String prev) {
        StringBuilder b = new StringBuilder(128);
        b.append("{\"seq\":").append(seq).append(",\"time\":");
        string(b, time);
        b.append(",\"kind\":");
        string(b, kind);
        b.append(",\"fields\":{");
        boolean first = true;
        for (Map.Entry<String, String> f : fields.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            string(b, f.getKey());
            b.append(':');
            string(b, f.getValue());
        }
        b.append("},\"prev\":");
        string(b, prev);
        b.append('}');
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code body} (an encoded line ending in '}') with a {@code sig} member added before the closing brace. */
    static byte[] withSignature(byte[] body, String sigHex) {
        byte[] tail = (",\"sig\":\"" + sigHex + "\"}").getBytes(StandardCharsets.US_ASCII);
        byte[] line = Arrays.copyOf(body, body.length - 1 + tail.length);
        System.arraycopy(tail, 0, line, body.length - 1, tail.length);
        return line;
    }

    /** What a checkpoint's signature covers: the context, then the line as it would be without its {@code sig}. */
    static byte[] signedBytes(byte[] body) {
        byte[] out = Arrays.copyOf(SIGNATURE_CONTEXT, SIGNATURE_CONTEXT.length + body.length);
        System.arraycopy(body, 0, out, SIGNATURE_CONTEXT.length, body.length);
        return out;
    }

    static String sha256Hex(byte[] line) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(line));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    static boolean isHex(String s, int length) {
        if (s == null || s.length() != length) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** Parses one line (without its {@code \n}) and checks that it is in canonical form. */
    static Entry parse(byte[] line) throws MalformedLine {
        Entry e;
        try (JsonParser p = JSON.createParser(line)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, "an object");
            name(p, "seq");
            if (p.nextToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT
                    && p.getNumberType() != JsonParser.NumberType.LONG) {
                throw new MalformedLine("\"seq\" is not an integer");
            }
            long seq = p.getLongValue();
            if (seq < 0) {
                throw new MalformedLine("\"seq\" is negative");
            }
            String time = stringMember(p, "time");
            String kind = stringMember(p, "kind");
            name(p, "fields");
            expect(p.nextToken(), JsonToken.START_OBJECT, "\"fields\" as an object");
            Map<String, String> fields = new LinkedHashMap<>();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                expect(t, JsonToken.FIELD_NAME, "a field name");
                String k = p.currentName();
                expect(p.nextToken(), JsonToken.VALUE_STRING, "field \"" + k + "\" as a string");
                if (fields.put(k, p.getText()) != null) {
                    throw new MalformedLine("field \"" + k + "\" appears twice");
                }
            }
            String prev = stringMember(p, "prev");
            String sig = null;
            JsonToken t = p.nextToken();
            if (t == JsonToken.FIELD_NAME) {
                if (!"sig".equals(p.currentName())) {
                    throw new MalformedLine("unexpected member \"" + p.currentName() + "\"");
                }
                expect(p.nextToken(), JsonToken.VALUE_STRING, "\"sig\" as a string");
                sig = p.getText();
                t = p.nextToken();
            }
            expect(t, JsonToken.END_OBJECT, "the end of the entry");
            if (p.nextToken() != null) {
                throw new MalformedLine("text after the entry");
            }
            e = new Entry(seq, time, kind, Collections.unmodifiableMap(fields), prev, sig);
        } catch (IOException ex) {
            throw new MalformedLine("not JSON: " + firstLine(ex.getMessage()));
        }
        if (!isHex(e.prev, 64)) {
            throw new MalformedLine("\"prev\" is not 64 lower-case hex digits");
        }
        if (e.sig != null && !isHex(e.sig, 128)) {
            throw new MalformedLine("\"sig\" is not 128 lower-case hex digits");
        }
        try {
            Instant.parse(e.time);
        } catch (DateTimeException ex) {
            throw new MalformedLine("\"time\" is not an ISO-8601 instant");
        }
        byte[] again = encode(e.seq, e.time, e.kind, e.fields, e.prev);
        if (e.sig != null) {
            again = withSignature(again, e.sig);
        }
        if (!Arrays.equals(again, line)) {
            throw new MalformedLine("not in canonical form (white space, escaping or encoding differs)");
        }
        return e;
    }

    /** The line without its {@code sig} member: what the signature covers. Only for a parsed checkpoint. */
    static byte[] bodyOf(Entry e) {
        return encode(e.seq, e.time, e.kind, e.fields, e.prev);
    }

    static byte[] hexBytes(String hex) {
        return HEX.parseHex(hex);
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    private static void name(JsonParser p, String name) throws IOException, MalformedLine {
        if (p.nextToken() != JsonToken.FIELD_NAME || !name.equals(p.currentName())) {
            throw new MalformedLine("expected member \"" + name + "\"");
        }
    }

    private static String stringMember(JsonParser p, String name) throws IOException, MalformedLine {
        name(p, name);
        expect(p.nextToken(), JsonToken.VALUE_STRING, "\"" + name + "\" as a string");
        return p.getText();
    }

    private static void expect(JsonToken got, JsonToken want, String what) throws MalformedLine {
        if (got != want) {
            throw new MalformedLine("expected " + what);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\b' -> b.append("\\b");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\f' -> b.append("\\f");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                    } else if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1)))
                            && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)))) {
                        b.append('\ufffd'); // a lone surrogate has no UTF-8 form
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}

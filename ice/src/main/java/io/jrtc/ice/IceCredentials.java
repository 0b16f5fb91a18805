package io.jrtc.ice;

import java.util.random.RandomGenerator;

/**
 * ICE credentials (RFC 8445 §5.3, grammar of RFC 8839 §5.4): a username fragment of 4 to 256 ice-chars and a
 * password of 22 to 256 ice-chars. ice-char is {@code ALPHA / DIGIT / "+" / "/"}.
 */
public record IceCredentials(String ufrag, String pwd) {

    private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /** Length of generated ufrags: 8 ice-chars = 48 random bits (RFC 8445 §5.3 requires at least 24). */
    public static final int GENERATED_UFRAG_LENGTH = 8;
    /** Length of generated passwords: 24 ice-chars = 144 random bits (RFC 8445 §5.3 requires at least 128). */
    public static final int GENERATED_PWD_LENGTH = 24;

    public IceCredentials {
        check("ufrag", ufrag, 4);
        check("pwd", pwd, 22);
    }

    /** Fresh random credentials drawn from {@code random} (use a secure generator outside tests). */
    public static IceCredentials random(RandomGenerator random) {
        return new IceCredentials(randomString(random, GENERATED_UFRAG_LENGTH), randomString(random, GENERATED_PWD_LENGTH));
    }

    private static String randomString(RandomGenerator random, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ICE_CHARS.charAt(random.nextInt(ICE_CHARS.length()));
        }
        return new String(out);
    }

    private static void check(String what, String value, int min) {
        if (value == null || value.length() < min || value.length() > 256) {
            throw new IllegalArgumentException(what + " must be " + min + " to 256 ice-chars");
        }
        for (int i = 0; i < value.length(); i++) {
            if (ICE_CHARS.indexOf(value.charAt(i)) < 0) {
                throw new IllegalArgumentException(what + " contains a character outside ice-char: '" + value.charAt(i) + "'");
            }
        }
    }

    @Override
    public String toString() {
        return "IceCredentials[ufrag=" + ufrag + ", pwd=<" + pwd.length() + " chars>]";
    }
}

package org.hvsim.hv.privcmd;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secret the hypervisor gives the dom0 process it launches (environment
 * {@link PrivcmdServer#ENV_TOKEN}); dom0 proves itself by presenting it in its Hello.
 * Never printed: {@link #toString()} is redacted.
 */
public final class PrivcmdToken {
    private static final int GENERATED_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] expected;
    private final String secret;

    /** A token with the given secret: 1 to {@link PrivcmdLimits#MAX_TOKEN_BYTES} UTF-8 bytes. */
    public PrivcmdToken(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > PrivcmdLimits.MAX_TOKEN_BYTES) {
            throw new IllegalArgumentException("a privcmd token has 1 to " + PrivcmdLimits.MAX_TOKEN_BYTES
                    + " bytes, not " + bytes.length);
        }
        this.expected = bytes;
        this.secret = secret;
    }

    /** A fresh random token (256 bits, base64url). */
    public static PrivcmdToken generate() {
        byte[] raw = new byte[GENERATED_BYTES];
        RANDOM.nextBytes(raw);
        return new PrivcmdToken(Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
    }

    /** The secret itself, to hand to the dom0 process's environment and nowhere else. */
    public String secret() {
        return secret;
    }

    /**
     * Whether {@code presented} is this token. The time taken depends only on this token's length,
     * not on how much of {@code presented} matches.
     */
    boolean matches(String presented) {
        return MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "PrivcmdToken[redacted]";
    }
}

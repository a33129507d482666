package org.hvsim.hv.privcmd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrivcmdTokenTest {
    @Test
    void matchesOnlyTheWholeSecret() {
        PrivcmdToken token = new PrivcmdToken("s3cret");
        assertTrue(token.matches("s3cret"));
        assertFalse(token.matches("s3cre"));
        assertFalse(token.matches("s3cret!"));
        assertFalse(token.matches("S3cret"));
        assertFalse(token.matches(""));
    }

    @Test
    void generatedTokensAre256RandomBitsAndDiffer() {
        PrivcmdToken a = PrivcmdToken.generate();
        PrivcmdToken b = PrivcmdToken.generate();
        assertEquals(43, a.secret().length(), "32 bytes in unpadded base64url");
        assertTrue(a.secret().matches("[A-Za-z0-9_-]+"), a.secret());
        assertNotEquals(a.secret(), b.secret());
        assertTrue(a.matches(a.secret()));
    }

    @Test
    void theSecretIsNeverPrinted() {
        PrivcmdToken token = new PrivcmdToken("do-not-print-me");
        assertFalse(token.toString().contains("do-not-print-me"));
        PrivcmdServerConfig config = PrivcmdServerConfig.of(java.nio.file.Path.of("/tmp/x"), token,
                () -> ServerPipelineHarness.WELCOME);
        assertFalse(config.toString().contains("do-not-print-me"), config.toString());
    }

    @Test
    void anEmptyOrOverlongSecretIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PrivcmdToken(""));
        assertThrows(IllegalArgumentException.class,
                () -> new PrivcmdToken("x".repeat(PrivcmdLimits.MAX_TOKEN_BYTES + 1)));
        new PrivcmdToken("x".repeat(PrivcmdLimits.MAX_TOKEN_BYTES));
    }
}

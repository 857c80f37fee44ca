package io.stackwire.controller.http;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a webhook request against the shared secret: GitHub's {@code X-Hub-Signature-256:
 * sha256=<hex HMAC-SHA256 of the body>}, or GitLab's {@code X-Gitlab-Token: <secret>}. Both are
 * compared in constant time. Without a configured secret every request is refused.
 */
public final class WebhookAuth {

    private final byte[] secret;

    /** @param secret the shared secret (trailing newline of a secret file already removed); null disables the webhook */
    public WebhookAuth(String secret) {
        this.secret = secret == null || secret.isEmpty() ? null : secret.getBytes(StandardCharsets.UTF_8);
    }

    public boolean enabled() {
        return secret != null;
    }

    /** True when either header proves knowledge of the secret. */
    public boolean accepts(byte[] body, String githubSignature, String gitlabToken) {
        if (secret == null) {
            return false;
        }
        if (githubSignature != null) {
            String sig = githubSignature.trim().toLowerCase(Locale.ROOT);
            if (!sig.startsWith("sha256=")) {
                return false;
            }
            byte[] given;
            try {
                given = HexFormat.of().parseHex(sig.substring("sha256=".length()));
            } catch (IllegalArgumentException e) {
                return false;
            }
            return MessageDigest.isEqual(hmac(body), given);
        }
        if (gitlabToken != null) {
            return MessageDigest.isEqual(secret, gitlabToken.getBytes(StandardCharsets.UTF_8));
        }
        return false;
    }

    /** {@code sha256=<hex>} for a body, as GitHub sends it; for tests and clients. */
    public String signature(byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(hmac(body));
    }

    private byte[] hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}

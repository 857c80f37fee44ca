package io.stackwire.controller.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookAuthTest {

    private final WebhookAuth auth = new WebhookAuth("It's a Secret to Everybody");
    private final byte[] body = "Hello, World!".getBytes(StandardCharsets.UTF_8);

    @Test
    void acceptsGithubsDocumentedExampleSignature() {
        // From GitHub's "Validating webhook deliveries" documentation.
        assertThat(auth.accepts(body,
                "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", null)).isTrue();
    }

    @Test
    void rejectsAWrongOrMalformedOrMissingSignature() {
        assertThat(auth.accepts(body, "sha256=" + "0".repeat(64), null)).isFalse();
        assertThat(auth.accepts(body, "sha1=757107ea", null)).isFalse();
        assertThat(auth.accepts(body, "sha256=zz", null)).isFalse();
        assertThat(auth.accepts(body, null, null)).isFalse();
        assertThat(auth.accepts("tampered".getBytes(StandardCharsets.UTF_8), auth.signature(body), null)).isFalse();
    }

    @Test
    void acceptsTheGitlabTokenOnlyWhenEqual() {
        assertThat(auth.accepts(body, null, "It's a Secret to Everybody")).isTrue();
        assertThat(auth.accepts(body, null, "It's a Secret")).isFalse();
    }

    @Test
    void refusesEverythingWithoutASecret() {
        WebhookAuth off = new WebhookAuth(null);
        assertThat(off.enabled()).isFalse();
        assertThat(off.accepts(body, null, "")).isFalse();
    }
}

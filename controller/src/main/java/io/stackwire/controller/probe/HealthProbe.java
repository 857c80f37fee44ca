package io.stackwire.controller.probe;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * The image's HEALTHCHECK: {@code java -cp stackwire.jar io.stackwire.controller.probe.HealthProbe [URL]}
 * exits 0 when URL (default http://127.0.0.1:9090/healthz) answers 2xx within two seconds, else 1.
 * The runtime image has no curl or wget; this needs only java.base.
 */
public final class HealthProbe {

    static final String DEFAULT_URL = "http://127.0.0.1:9090/healthz";

    private HealthProbe() {}

    public static void main(String[] args) {
        System.exit(check(args.length > 0 ? args[0] : DEFAULT_URL) ? 0 : 1);
    }

    static boolean check(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(2000);
            try {
                int code = c.getResponseCode();
                System.out.println(url + ": " + code);
                return code >= 200 && code < 300;
            } finally {
                c.disconnect();
            }
        } catch (IOException | IllegalArgumentException e) {
            System.out.println(url + ": " + e.getMessage());
            return false;
        }
    }
}

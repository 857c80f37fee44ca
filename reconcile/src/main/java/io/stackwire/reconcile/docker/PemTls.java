package io.stackwire.reconcile.docker;

import com.github.dockerjava.core.SSLConfig;
import com.github.dockerjava.core.util.CertificateUtils;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Security;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Verified TLS from a docker-style certificate folder: the daemon must present a certificate signed
 * by {@code ca.pem}; {@code cert.pem} and {@code key.pem}, when both exist, are our client
 * certificate. Read once, when the gateway is made, so a bad file is reported before any call
 * (docker-java's own {@code LocalDirectorySSLConfig} reads them on the first connection and wants all three).
 */
final class PemTls implements SSLConfig, Serializable {

    private static final long serialVersionUID = 1L;

    private final transient SSLContext context;

    PemTls(Path dir) {
        try {
            if (Security.getProvider("BC") == null) {
                Security.addProvider(new BouncyCastleProvider()); // docker-java's PEM reading asks for it by name
            }
            KeyStore trust = CertificateUtils.createTrustStore(read(dir.resolve("ca.pem")));
            if (trust.size() == 0) {
                throw new IllegalArgumentException("ca.pem holds no PEM certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (Files.isRegularFile(dir.resolve("cert.pem")) && Files.isRegularFile(dir.resolve("key.pem"))) {
                KeyStore keys = CertificateUtils.createKeyStore(read(dir.resolve("key.pem")), read(dir.resolve("cert.pem")));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, "docker".toCharArray());
            }
            context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("cannot use the TLS files in " + dir + " (ca.pem, cert.pem, key.pem): "
                    + Errors.oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + "; they must be PEM files as 'docker context create' or the daemon's setup guide makes them", e);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Override
    public SSLContext getSSLContext() {
        return context;
    }
}

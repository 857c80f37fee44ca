package io.stackwire.controller.source;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;

/**
 * Serves one repository over Git's "dumb" HTTP protocol on loopback (static files plus a generated
 * info/refs), behind HTTP basic auth, like a token-protected Git host.
 */
public final class DumbHttpGitServer implements AutoCloseable {

    private final HttpServer server;
    private final Repository repo;
    private final String expectedAuth;
    final List<String> authorizations = new CopyOnWriteArrayList<>();

    public DumbHttpGitServer(Repository repo, String user, String password) throws IOException {
        this(repo, user, password, 0);
    }

    /** On a given loopback port (0: any free one); a test stops a server and starts another on its port: Git down, then back. */
    public DumbHttpGitServer(Repository repo, String user, String password, int port) throws IOException {
        this.repo = repo;
        this.expectedAuth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/repo.git/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/repo.git";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            authorizations.add(auth == null ? "" : auth);
            if (!expectedAuth.equals(auth)) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
                ex.sendResponseHeaders(401, -1);
                return;
            }
            String rel = ex.getRequestURI().getPath().substring("/repo.git/".length());
            byte[] body = switch (rel) {
                case "info/refs" -> infoRefs();
                case "objects/info/packs" -> packs();
                default -> file(rel);
            };
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            // text/plain, not application/x-git-upload-pack-advertisement: that is what makes it "dumb".
            ex.getResponseHeaders().add("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** What {@code git update-server-info} would write. */
    private byte[] infoRefs() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Ref r : repo.getRefDatabase().getRefsByPrefix("refs/")) {
            Ref peeled = repo.getRefDatabase().peel(r);
            sb.append(r.getObjectId().name()).append('\t').append(r.getName()).append('\n');
            ObjectId p = peeled.getPeeledObjectId();
            if (p != null) {
                sb.append(p.name()).append('\t').append(r.getName()).append("^{}\n");
            }
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] packs() throws IOException {
        Path pack = repo.getDirectory().toPath().resolve("objects/pack");
        if (!Files.isDirectory(pack)) {
            return new byte[0];
        }
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> s = Files.list(pack)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pack")).sorted()
                    .forEach(n -> sb.append("P ").append(n).append('\n'));
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] file(String rel) throws IOException {
        Path base = repo.getDirectory().toPath().toAbsolutePath().normalize();
        Path p = base.resolve(rel).normalize();
        if (!p.startsWith(base) || !Files.isRegularFile(p)) {
            return null;
        }
        return Files.readAllBytes(p);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

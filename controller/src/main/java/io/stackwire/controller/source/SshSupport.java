package io.stackwire.controller.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.transport.SshConfigStore;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * JGit's Apache MINA sshd transport, configured from {@link GitAuth} alone: ~/.ssh/config is not
 * read, so what is checked does not depend on the machine. Host keys are checked against one
 * known_hosts file, strictly unless accept-new was chosen (a changed key is refused either way).
 */
final class SshSupport implements AutoCloseable {

    private final SshdSessionFactory factory;

    SshSupport(GitAuth auth, Path cache) {
        Path home = Path.of(System.getProperty("user.home"));
        Path sshDir = home.resolve(".ssh");
        Path knownHosts = (auth.knownHosts() != null ? auth.knownHosts() : sshDir.resolve("known_hosts")).toAbsolutePath();
        if (auth.acceptNewHostKeys() && !Files.exists(knownHosts)) {
            // JGit records a first-seen key only into an existing file.
            try {
                Files.createDirectories(knownHosts.getParent());
                Files.createFile(knownHosts);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create known_hosts file " + knownHosts, e);
            }
        }
        Path key = auth.sshKey() == null ? null : auth.sshKey().toAbsolutePath();
        Map<String, String> single = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        single.put("StrictHostKeyChecking", auth.acceptNewHostKeys() ? "accept-new" : "yes");
        single.put("PreferredAuthentications", "publickey");
        single.put("BatchMode", "yes");
        Map<String, List<String>> multi = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        multi.put("UserKnownHostsFile", List.of(knownHosts.toString()));
        multi.put("GlobalKnownHostsFile", List.of("/dev/null"));
        if (key != null) {
            single.put("IdentitiesOnly", "yes");
            multi.put("IdentityFile", List.of(key.toString()));
        }
        SshdSessionFactoryBuilder builder = new SshdSessionFactoryBuilder()
                .setHomeDirectory(home.toFile())
                .setSshDirectory(sshDir.toFile())
                .setPreferredAuthentications("publickey")
                .setDefaultKnownHostsFiles(dir -> List.of(knownHosts))
                .setConfigStoreFactory((homeDir, configFile, localUser) -> new Store(single, multi));
        if (key != null) {
            builder.setDefaultIdentities(dir -> List.of(key));
        }
        this.factory = builder.build(new JGitKeyCache());
    }

    SshdSessionFactory factory() {
        return factory;
    }

    @Override
    public void close() {
        factory.close();
    }

    /** The same settings for every host; the host, port and user come from the URL. */
    private record Store(Map<String, String> single, Map<String, List<String>> multi) implements SshConfigStore {
        @Override
        public HostConfig lookup(String hostName, int port, String userName) {
            Map<String, String> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            values.putAll(single);
            values.put("HostName", hostName);
            values.put("Port", Integer.toString(port > 0 ? port : 22));
            if (userName != null && !userName.isEmpty()) {
                values.put("User", userName);
            }
            return new Config(Collections.unmodifiableMap(values), multi);
        }

        @Override
        public HostConfig lookupDefault(String hostName, int port, String userName) {
            return lookup(hostName, port, userName);
        }
    }

    private record Config(Map<String, String> single, Map<String, List<String>> multi) implements SshConfigStore.HostConfig {
        @Override
        public String getValue(String key) {
            String v = single.get(key);
            if (v == null && multi.containsKey(key)) {
                return multi.get(key).get(0);
            }
            return v;
        }

        @Override
        public List<String> getValues(String key) {
            List<String> v = multi.get(key);
            if (v != null) {
                return v;
            }
            String s = single.get(key);
            return s == null ? List.of() : List.of(s);
        }

        @Override
        public Map<String, String> getOptions() {
            return single;
        }

        @Override
        public Map<String, List<String>> getMultiValuedOptions() {
            return Collections.unmodifiableMap(multi);
        }
    }
}

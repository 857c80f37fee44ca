package io.stackwire.reconcile.docker;

import static io.stackwire.reconcile.docker.DaemonJson.orEmpty;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwire.reconcile.Normalizer;
import io.stackwire.reconcile.docker.DaemonJson.Endpoint;
import io.stackwire.reconcile.docker.DaemonJson.Inspect;
import io.stackwire.reconcile.docker.DaemonJson.ListedContainer;
import io.stackwire.reconcile.docker.DaemonJson.ListedPort;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Container inspects an observation need not send again. A running container's inspect is kept
 * with a digest of its entry in the container list; while the list shows the same entry, the
 * inspect is the same:
 * <ul>
 *   <li>what only the inspect says about an endpoint (its aliases, driver options) is fixed when
 *       the endpoint is made, and a new endpoint (a reconnect, a restart) has a new
 *       {@code EndpointID}, which the list shows;
 *   <li>configured port bindings and the hostname never change for a container ID;
 *   <li>everything else the mapping reads (name, state, labels, network mode, addresses,
 *       published ports) is in the list itself.
 * </ul>
 * A container that is not running is always inspected: connecting a stopped one changes its
 * aliases and no endpoint ID shows it. An inspect is kept only when its endpoints are the ones the
 * list showed (the container did not change between the two reads).
 *
 * <p>A CLI command starts with no memory, so {@link #persistTo} keeps the entries in a file
 * between commands (docs/cli.md, "The inspect cache"): a no-op plan or a small change then reads
 * the two lists and the info, not one inspect per container. Entries of containers that are gone
 * from the list are dropped on every save.
 */
final class InspectCache {

    private static final System.Logger LOG = System.getLogger(InspectCache.class.getName());
    /**
     * The file's format: the shape of {@link Inspect} (its components, recursively), so that a
     * version reading more of the inspect never takes an older file's entries, which lack it.
     */
    static final String FORMAT = "1/" + shape(Inspect.class);

    /** What the file holds: the format, then per container ID the list digest and the inspect. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Stored(String format, Map<String, Entry> entries) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(String key, Inspect inspect) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private volatile Path file;
    private volatile boolean loaded;
    private volatile boolean dirty;

    /** Keeps the entries in {@code file} between processes (null: in memory only). */
    void persistTo(Path file) {
        this.file = file;
        this.loaded = false;
    }

    /** Reads the file once, if there is one; an unreadable file is only a cold cache. */
    synchronized void load() {
        Path f = file;
        if (loaded || f == null) {
            return;
        }
        loaded = true;
        if (!Files.isRegularFile(f)) {
            return;
        }
        try {
            Stored s = mapper().readValue(f.toFile(), Stored.class);
            if (s != null && Objects.equals(s.format(), FORMAT) && s.entries() != null) {
                s.entries().forEach((id, e) -> {
                    if (e != null && e.key() != null && e.inspect() != null) {
                        entries.putIfAbsent(id, e);
                    }
                });
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "ignoring the inspect cache " + f + ": " + e.getMessage());
        }
    }

    /** The kept inspect of this listed container, or null when it must be inspected. */
    Inspect get(ListedContainer c) {
        String key = key(c);
        if (key == null) {
            return null;
        }
        Entry e = entries.get(orEmpty(c.id()));
        return e != null && e.key().equals(key) ? e.inspect() : null;
    }

    /** Keeps {@code inspect}, read after {@code listed}, if it is the same container the list showed. */
    void put(ListedContainer listed, Inspect inspect) {
        String key = key(listed);
        if (key == null || inspect == null || !sameEndpoints(listed, inspect)) {
            entries.remove(orEmpty(listed.id()));
            return;
        }
        entries.put(orEmpty(listed.id()), new Entry(key, inspect));
        dirty = true;
    }

    /** Drops the entries of containers the list no longer shows. */
    void retain(Collection<String> listedIds) {
        Set<String> keep = Set.copyOf(listedIds);
        if (entries.keySet().removeIf(id -> !keep.contains(id))) {
            dirty = true;
        }
    }

    int size() {
        return entries.size();
    }

    /**
     * Writes the file when something changed: to a temporary file beside it, then renamed, so a
     * concurrent command reads the old file or the new one; readable by the owner only (labels and
     * hostnames are in it). A failure only costs the next command its inspects.
     */
    synchronized void save() {
        Path f = file;
        if (f == null || !dirty) {
            return;
        }
        dirty = false;
        Path tmp = null;
        try {
            Files.createDirectories(f.getParent());
            tmp = Files.createTempFile(f.getParent(), f.getFileName().toString(), ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's permissions apply
            }
            Files.write(tmp, mapper().writeValueAsBytes(new Stored(FORMAT, new TreeMap<>(entries))));
            try {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not write the inspect cache " + f + ": " + e.getMessage());
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    /**
     * The digest of a listed container's entry, or null when it may not be cached: not running,
     * or an endpoint without an ID (the daemon is still making it).
     */
    static String key(ListedContainer c) {
        if (!"running".equals(c.state()) || c.id() == null || c.id().isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder(512);
        b.append(c.id()).append('\n');
        List<String> names = new ArrayList<>();
        if (c.names() != null) {
            c.names().forEach(n -> names.add(String.valueOf(n)));
        }
        names.sort(null);
        b.append(names).append('\n');
        b.append(c.hostConfig() == null ? "" : orEmpty(c.hostConfig().networkMode())).append('\n');
        b.append(c.labels() == null ? Map.of() : new TreeMap<>(c.labels())).append('\n');
        List<String> ports = new ArrayList<>();
        if (c.ports() != null) {
            for (ListedPort p : c.ports()) {
                if (p != null) {
                    ports.add(p.ip() + "|" + p.privatePort() + "|" + p.publicPort() + "|" + p.type());
                }
            }
        }
        ports.sort(null);
        b.append(ports).append('\n');
        Map<String, Endpoint> networks = c.networkSettings() == null || c.networkSettings().networks() == null
                ? Map.of() : new TreeMap<>(c.networkSettings().networks());
        for (Map.Entry<String, Endpoint> n : networks.entrySet()) {
            Endpoint ep = n.getValue();
            if (ep == null || ep.endpointId() == null || ep.endpointId().isEmpty()) {
                return null;
            }
            b.append(n.getKey()).append('=').append(ep.networkId()).append('|').append(ep.endpointId())
                    .append('|').append(ep.ipAddress()).append('|').append(ep.globalIpv6Address())
                    .append('|').append(ep.ipamConfig()).append('|').append(ep.aliases()).append('\n');
        }
        return Normalizer.sha256Hex(b.toString());
    }

    /** Whether the inspect shows the endpoints (by network and endpoint ID) the list showed, and runs. */
    static boolean sameEndpoints(ListedContainer listed, Inspect inspect) {
        if (!Objects.equals(listed.id(), inspect.id()) || inspect.state() == null
                || !Boolean.TRUE.equals(inspect.state().running())) {
            return false;
        }
        Map<String, String> seen = endpointIds(listed.networkSettings());
        Map<String, String> read = endpointIds(inspect.networkSettings());
        return seen.equals(read);
    }

    private static Map<String, String> endpointIds(DaemonJson.NetworkSettings settings) {
        Map<String, String> out = new TreeMap<>();
        if (settings != null && settings.networks() != null) {
            settings.networks().forEach((name, ep) -> out.put(name, ep == null ? "" : orEmpty(ep.endpointId())));
        }
        return out;
    }

    /** A record's component names and types, nested records spelled out: {@code Name(a:String,b:Other(...))}. */
    static String shape(Class<?> type) {
        StringBuilder b = new StringBuilder(type.getSimpleName()).append('(');
        java.lang.reflect.RecordComponent[] parts = type.getRecordComponents();
        for (int i = 0; i < parts.length; i++) {
            b.append(i == 0 ? "" : ",").append(parts[i].getName()).append(':');
            shapeOf(parts[i].getGenericType(), b);
        }
        return b.append(')').toString();
    }

    private static void shapeOf(java.lang.reflect.Type t, StringBuilder b) {
        if (t instanceof Class<?> c && c.isRecord()) {
            b.append(shape(c));
        } else if (t instanceof java.lang.reflect.ParameterizedType p) {
            b.append(((Class<?>) p.getRawType()).getSimpleName()).append('<');
            java.lang.reflect.Type[] args = p.getActualTypeArguments();
            for (int i = 0; i < args.length; i++) {
                b.append(i == 0 ? "" : ",");
                shapeOf(args[i], b);
            }
            b.append('>');
        } else {
            b.append(t instanceof Class<?> c ? c.getSimpleName() : t.getTypeName());
        }
    }


    private static ObjectMapper mapper() {
        return DaemonJson.mapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }
}

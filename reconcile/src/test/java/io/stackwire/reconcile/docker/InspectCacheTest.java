package io.stackwire.reconcile.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.reconcile.docker.DaemonJson.Inspect;
import io.stackwire.reconcile.docker.DaemonJson.ListedContainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCacheTest {

    private static final String LISTED = """
            {"Id":"%s","Names":["/%s"],"State":"%s","Labels":{"b":"2","a":"1"},
             "Ports":[{"IP":"127.0.0.1","PrivatePort":80,"PublicPort":8080,"Type":"tcp"}],
             "HostConfig":{"NetworkMode":"default"},
             "NetworkSettings":{"Networks":{"front":{"NetworkID":"n1","EndpointID":"%s","IPAddress":"10.1.0.10"}}}}""";

    private static final String INSPECTED = """
            {"Id":"%s","Name":"/web","State":{"Running":%s},
             "HostConfig":{"NetworkMode":"default","PortBindings":{"80/tcp":[{"HostIp":"127.0.0.1","HostPort":"8080"}]}},
             "Config":{"Labels":{"a":"1","b":"2"},"Hostname":"abc"},
             "NetworkSettings":{"Networks":{"front":{"Aliases":["www","abc"],"NetworkID":"n1","EndpointID":"%s",
               "IPAddress":"10.1.0.10","DriverOpts":{"io.stackwire.controller":"x"}}},
               "Ports":{"80/tcp":[{"HostIp":"127.0.0.1","HostPort":"8080"}]}}}""";

    private static ListedContainer listed(String id, String name, String state, String endpoint) {
        return bind(LISTED.formatted(id, name, state, endpoint), ListedContainer.class);
    }

    private static Inspect inspected(String id, boolean running, String endpoint) {
        return bind(INSPECTED.formatted(id, running, endpoint), Inspect.class);
    }

    private static <T> T bind(String json, Class<T> type) {
        try {
            return DaemonJson.mapper().readValue(json, type);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aRunningContainersInspectIsKeptWhileItsListEntryIsTheSame() {
        InspectCache cache = new InspectCache();
        ListedContainer web = listed("c1", "web", "running", "e1");
        cache.put(web, inspected("c1", true, "e1"));

        assertThat(cache.get(listed("c1", "web", "running", "e1"))).isEqualTo(inspected("c1", true, "e1"));
        assertThat(cache.get(listed("c1", "web", "running", "e2"))).as("reconnected: a new endpoint").isNull();
        assertThat(cache.get(listed("c1", "web2", "running", "e1"))).as("renamed").isNull();
        assertThat(cache.get(listed("c1", "web", "exited", "e1"))).as("stopped").isNull();
    }

    @Test
    void onlyRunningContainersWithEndpointIdsHaveAKey() {
        assertThat(InspectCache.key(listed("c1", "web", "running", "e1"))).hasSize(64);
        assertThat(InspectCache.key(listed("c1", "web", "exited", "e1"))).isNull();
        assertThat(InspectCache.key(listed("c1", "web", "paused", "e1"))).isNull();
        assertThat(InspectCache.key(listed("c1", "web", "running", ""))).as("endpoint still being made").isNull();
        assertThat(InspectCache.key(bind("{\"Id\":\"c1\",\"State\":\"running\",\"HostConfig\":{\"NetworkMode\":\"container:x\"}}",
                ListedContainer.class))).as("no endpoints of its own").isNotNull();
    }

    @Test
    void theKeyFollowsEverythingTheListShowsAndNotTheOrderOfItsMaps() {
        String a = InspectCache.key(listed("c1", "web", "running", "e1"));
        String reordered = InspectCache.key(bind(LISTED.formatted("c1", "web", "running", "e1")
                .replace("{\"b\":\"2\",\"a\":\"1\"}", "{\"a\":\"1\",\"b\":\"2\"}"), ListedContainer.class));
        String relabelled = InspectCache.key(bind(LISTED.formatted("c1", "web", "running", "e1")
                .replace("\"a\":\"1\"", "\"a\":\"9\""), ListedContainer.class));
        String republished = InspectCache.key(bind(LISTED.formatted("c1", "web", "running", "e1")
                .replace("8080", "8081"), ListedContainer.class));
        String readdressed = InspectCache.key(bind(LISTED.formatted("c1", "web", "running", "e1")
                .replace("10.1.0.10", "10.1.0.11"), ListedContainer.class));
        assertThat(reordered).isEqualTo(a);
        assertThat(List.of(relabelled, republished, readdressed)).doesNotContain(a).doesNotHaveDuplicates();
    }

    @Test
    void anInspectThatDoesNotMatchTheListIsNotKept() {
        InspectCache cache = new InspectCache();
        ListedContainer web = listed("c1", "web", "running", "e1");
        cache.put(web, inspected("c1", true, "e2"));
        assertThat(cache.get(web)).as("reconnected between list and inspect").isNull();
        cache.put(web, inspected("c1", false, "e1"));
        assertThat(cache.get(web)).as("stopped between list and inspect").isNull();
        cache.put(web, inspected("c9", true, "e1"));
        assertThat(cache.get(web)).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void theFileKeepsTheInspectsBetweenProcessesOwnerReadableOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub").resolve("daemon.json");
        InspectCache first = new InspectCache();
        first.persistTo(file);
        first.load();
        ListedContainer web = listed("c1", "web", "running", "e1");
        ListedContainer db = listed("c2", "db", "running", "e5");
        first.put(web, inspected("c1", true, "e1"));
        first.put(db, bind(INSPECTED.formatted("c2", true, "e5"), Inspect.class));
        first.retain(List.of("c1")); // db is gone from the list
        first.save();

        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        InspectCache second = new InspectCache();
        second.persistTo(file);
        second.load();
        assertThat(second.size()).isEqualTo(1);
        Inspect back = second.get(web);
        assertThat(back).isEqualTo(inspected("c1", true, "e1"));
        assertThat(Mappers.container(back)).isEqualTo(Mappers.container(inspected("c1", true, "e1")));
        assertThat(second.get(db)).isNull();
        try (var files = Files.list(file.getParent())) {
            assertThat(files.toList()).as("no temporary file left").containsExactly(file);
        }
    }

    @Test
    void theFormatFollowsWhatTheInspectRecordReads() {
        assertThat(InspectCache.FORMAT).startsWith("1/Inspect(id:String,name:String,state:State(running:Boolean),")
                .contains("networks:Map<String,Endpoint(ipamConfig:EndpointIpam(ipv4Address:String,ipv6Address:String),aliases:List<String>,")
                .contains("driverOpts:Map<String,String>");
    }

    @Test
    void anUnreadableOrForeignFileIsOnlyAColdCache(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("daemon.json");
        Files.writeString(file, "{not json");
        InspectCache broken = new InspectCache();
        broken.persistTo(file);
        broken.load();
        assertThat(broken.size()).isZero();

        Files.writeString(file, "{\"Format\":\"0/Inspect(id:String)\",\"Entries\":{\"c1\":{\"Key\":\"k\",\"Inspect\":{\"Id\":\"c1\"}}}}");
        InspectCache future = new InspectCache();
        future.persistTo(file);
        future.load();
        assertThat(future.size()).as("another format").isZero();

        // Saving over it works, and a file that cannot be written is not an error.
        future.put(listed("c1", "web", "running", "e1"), inspected("c1", true, "e1"));
        future.save();
        assertThat(Files.readString(file)).contains("\"Format\":\"1/Inspect(id:String,name:String,state:State(");
        InspectCache nowhere = new InspectCache();
        nowhere.persistTo(file.resolve("not-a-dir").resolve("x.json"));
        nowhere.put(listed("c1", "web", "running", "e1"), inspected("c1", true, "e1"));
        nowhere.save();
        assertThat(nowhere.size()).isEqualTo(1);
    }
}

package io.stackwire.reconcile.docker;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DockerClientImpl;
import io.stackwire.reconcile.daemon.DockerEvent;
import io.stackwire.reconcile.daemon.EventListener;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.daemon.GatewayException.Kind;
import io.stackwire.reconcile.daemon.NetworkRef;
import io.stackwire.reconcile.daemon.Subscription;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/** What the controller loop reads besides observations: the event stream, a past window of events, lease networks. */
final class LoopReads {

    /**
     * Docker keeps its last 256 events in memory (moby's {@code eventsLimit}) and silently drops
     * older ones: a window with this many events may have lost some, so it says nothing for sure.
     * Kept below 256 because events logged after {@code until} still push older ones out.
     */
    static final int EVENT_LOG_GUARD = 200;

    private final DaemonHttp http;

    LoopReads(DaemonHttp http) {
        this.http = http;
    }

    /**
     * Streams container and network events on a client of its own without a response timeout
     * (the stream may be idle for hours). Each (re)connect counts as one API call.
     */
    Subscription events(EventListener listener) {
        AtomicBoolean first = new AtomicBoolean(true);
        Supplier<DockerClient> streamClients = () -> {
            if (!first.getAndSet(false)) {
                // A reconnect means the stream broke, most often because the daemon restarted: the
                // connections the change client keeps are dead too, so the resync pass starts on new ones.
                http.renewTransport();
            }
            return DockerClientImpl.getInstance(http.config(), Transports.zerodep(http.config(), 1, false));
        };
        return new EventStream(streamClients, listener, http.calls()::incrementAndGet).start();
    }

    /**
     * {@code GET /events?since=..&until=..}: with {@code until} in the past the daemon answers
     * from its in-memory event log at once. One call. Empty when the window may have lost events.
     */
    Optional<List<DockerEvent>> eventsBetween(Instant since, Instant until) throws GatewayException {
        if (since == null || until == null || until.isBefore(since)) {
            return Optional.empty();
        }
        DaemonHttp.Raw raw = http.send("GET", "/events?since=" + eventTime(since) + "&until=" + eventTime(until), null,
                "read the daemon's events");
        try {
            return events(http.json(), raw.body());
        } catch (IOException e) {
            throw new GatewayException(Kind.REFUSED, "read the daemon's events: unreadable answer from the daemon: "
                    + Errors.oneLine(e.getMessage()), e);
        }
    }

    /** Docker's {@code seconds.nanoseconds} (nine digits: fewer would be read as a fraction of fewer digits). */
    static String eventTime(Instant t) {
        return t.getEpochSecond() + "." + String.format(Locale.ROOT, "%09d", t.getNano());
    }

    /** The container and network events of an events answer (one JSON object after another); see {@link #EVENT_LOG_GUARD}. */
    static Optional<List<DockerEvent>> events(ObjectMapper json, byte[] body) throws IOException {
        List<DockerEvent> out = new ArrayList<>();
        int seen = 0;
        try (MappingIterator<DaemonJson.Event> it = json.readerFor(DaemonJson.Event.class).readValues(body)) {
            while (it.hasNextValue()) {
                DaemonJson.Event e = it.nextValue();
                seen++;
                DockerEvent mapped = Mappers.event(e);
                if (mapped != null) {
                    out.add(mapped);
                }
            }
        }
        return seen >= EVENT_LOG_GUARD ? Optional.empty() : Optional.of(out);
    }

    /** {@code GET /networks?filters=name} (a substring match on the daemon), narrowed to the exact name. */
    List<NetworkRef> networksNamed(String name) throws GatewayException {
        ObjectNode filter = http.json().createObjectNode();
        filter.putObject("name").put(name, true);
        String query = URLEncoder.encode(filter.toString(), StandardCharsets.UTF_8);
        String action = "list networks named " + name;
        List<DaemonJson.Network> list = http.bindList(http.send("GET", "/networks?filters=" + query, null, action),
                DaemonJson.Network.class, action);
        List<NetworkRef> out = new ArrayList<>();
        for (DaemonJson.Network n : list) {
            if (!name.equals(n.name())) {
                continue;
            }
            OffsetDateTime created = Observation.created(n.created());
            out.add(new NetworkRef(DaemonJson.orEmpty(n.id()), name,
                    created.equals(OffsetDateTime.MAX) ? null : created.toInstant(), Mappers.stringMap(n.labels())));
        }
        out.sort(Comparator.comparing(NetworkRef::created).thenComparing(NetworkRef::id));
        return out;
    }
}

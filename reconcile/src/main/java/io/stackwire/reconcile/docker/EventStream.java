package io.stackwire.reconcile.docker;

import io.stackwire.reconcile.daemon.DockerEvent;

import io.stackwire.reconcile.daemon.Subscription;

import io.stackwire.reconcile.daemon.EventListener;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps one {@code GET /events} stream open on its own thread and client (the stream is idle for
 * long stretches, so it must not share the request client's response timeout). When the stream
 * ends or fails (daemon restart, socket gone) it reconnects with backoff, and after every
 * (re)connect tells the listener to resync, since events may have been missed meanwhile.
 *
 * <p>The backoff stops growing at one second: a restarted daemon must be heard again within a
 * second of answering (issue 19), and a failed attempt on a daemon that is down costs one refused
 * connect. The listener hears of an outage once, at its first failed attempt, not at every retry.
 */
final class EventStream implements Subscription {

    private static final System.Logger LOG = System.getLogger(EventStream.class.getName());
    static final Duration MIN_RETRY = Duration.ofMillis(250);
    static final Duration MAX_RETRY = Duration.ofSeconds(1);

    private final Supplier<DockerClient> clients;
    private final EventListener listener;
    private final Runnable onCall;
    private final Thread thread;
    private final Object lock = new Object();
    private volatile boolean closed;
    private volatile boolean connected;
    private volatile Callback current;

    EventStream(Supplier<DockerClient> clients, EventListener listener, Runnable onCall) {
        this.clients = clients;
        this.listener = listener;
        this.onCall = onCall;
        this.thread = new Thread(this::run, "stackwire-docker-events");
        this.thread.setDaemon(true);
    }

    EventStream start() {
        thread.start();
        return this;
    }

    @Override
    public boolean connected() {
        return connected;
    }

    private void run() {
        int failures = 0;
        boolean first = true;
        while (!closed) {
            String why;
            DockerClient client = null;
            try {
                client = clients.get();
                Callback cb = new Callback(first);
                current = cb;
                onCall.run();
                client.eventsCmd()
                        .withEventTypeFilter(EventType.CONTAINER, EventType.NETWORK)
                        .withEventFilter(DockerEvent.ACTIONS.toArray(String[]::new))
                        .exec(cb);
                cb.ended.await();
                if (cb.started) {
                    first = false;
                    failures = 0;
                }
                why = cb.error == null ? "the daemon closed the event stream" : Errors.oneLine(String.valueOf(cb.error.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                why = Errors.oneLine(String.valueOf(e.getMessage()));
            } finally {
                connected = false;
                closeQuietly(current);
                closeQuietly(client);
            }
            if (closed) {
                break;
            }
            boolean outageStarts = failures == 0;
            long delay = retryDelay(failures++).toMillis();
            LOG.log(System.Logger.Level.DEBUG, "event stream ended (" + why + "); reconnecting in " + delay + " ms");
            if (outageStarts) {
                listener.onDisconnected(why, delay);
            }
            synchronized (lock) {
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
                long left;
                while (!closed && (left = until - System.nanoTime()) > 0) {
                    try {
                        TimeUnit.NANOSECONDS.timedWait(lock, left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /** 250 ms, 500 ms, then every second. */
    static Duration retryDelay(int failures) {
        long ms = MIN_RETRY.toMillis() << Math.min(failures, 20);
        return Duration.ofMillis(Math.min(ms, MAX_RETRY.toMillis()));
    }

    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        closeQuietly(current);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // nothing more to do with a stream that is going away
        }
    }

    static DockerEvent map(Event e) {
        DockerEvent.Type type;
        if (e.getType() == EventType.CONTAINER) {
            type = DockerEvent.Type.CONTAINER;
        } else if (e.getType() == EventType.NETWORK) {
            type = DockerEvent.Type.NETWORK;
        } else {
            return null;
        }
        String action = e.getAction() != null ? e.getAction() : e.getStatus();
        if (action == null) {
            return null;
        }
        Map<String, String> attrs = e.getActor() == null || e.getActor().getAttributes() == null
                ? Map.of() : e.getActor().getAttributes();
        String id = e.getActor() != null && e.getActor().getId() != null ? e.getActor().getId() : e.getId();
        String name = attrs.getOrDefault("name", "");
        Instant time = e.getTimeNano() != null
                ? Instant.ofEpochSecond(0, e.getTimeNano())
                : e.getTime() != null ? Instant.ofEpochSecond(e.getTime()) : Instant.EPOCH;
        return type == DockerEvent.Type.CONTAINER
                ? new DockerEvent(type, action, id, Mappers.stripSlash(name), null, null, time, attrs)
                : new DockerEvent(type, action, id, name, name, attrs.get("container"), time);
    }

    /** One connection's callback; {@link #ended} opens when it completes, fails or is closed. */
    private final class Callback implements ResultCallback<Event> {
        final CountDownLatch ended = new CountDownLatch(1);
        private final boolean first;
        volatile boolean started;
        volatile Throwable error;
        private volatile Closeable stream;

        Callback(boolean first) {
            this.first = first;
        }

        @Override
        public void onStart(Closeable stream) {
            this.stream = stream;
            started = true;
            connected = true;
            listener.onResyncNeeded(first ? "event stream connected" : "event stream reconnected");
        }

        @Override
        public void onNext(Event event) {
            DockerEvent e = map(event);
            if (e != null) {
                try {
                    listener.onEvent(e);
                } catch (RuntimeException ex) {
                    LOG.log(System.Logger.Level.WARNING, "event listener failed: " + ex);
                }
            }
        }

        @Override
        public void onError(Throwable throwable) {
            error = throwable;
            ended.countDown();
        }

        @Override
        public void onComplete() {
            ended.countDown();
        }

        @Override
        public void close() throws IOException {
            Closeable s = stream;
            ended.countDown();
            if (s != null) {
                s.close();
            }
        }
    }
}

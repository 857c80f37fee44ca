package io.stackwire.controller.loop;

import java.util.List;

/**
 * A snapshot of the loop for {@code GET /status} and {@code stackwire status}; times are ISO-8601
 * text (or null when it has not happened yet). {@code converged}: the last pass left the daemon
 * matching the whole spec in force (outcome {@code no_changes} or {@code applied}).
 * {@code fetchError}: why fetching fails now (null while it works); {@code fetchFailingSince} when
 * it began to fail; {@code lastFetchAt} the last successful fetch; {@code consecutiveFetchFailures}
 * drives the fetch backoff. While fetches fail the last good {@code revision} stays enforced.
 */
public record LoopStatus(
        String host,
        String source,
        String instanceId,
        boolean running,
        boolean dryRun,
        String revision,
        String fetchedRevision,
        String startedAt,
        LastPass lastPass,
        boolean converged,
        String lastSuccessAt,
        List<String> pendingContainers,
        List<NoticeView> notices,
        String held,
        List<ErrorView> errors,
        String lastApply,
        boolean eventsConnected,
        int consecutiveFailures,
        List<ContainerView> containers,
        String fetchError,
        String fetchFailingSince,
        String lastFetchAt,
        int consecutiveFetchFailures) {

    public LoopStatus {
        containers = containers == null ? List.of() : List.copyOf(containers);
        pendingContainers = pendingContainers == null ? List.of() : List.copyOf(pendingContainers);
        notices = notices == null ? List.of() : List.copyOf(notices);
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public record LastPass(String outcome, String revision, List<String> triggers, String startedAt, long millis,
            int steps, int applied, List<String> failures, String message) {}

    /**
     * A spec'd container: {@code state} is running, stopped, missing or unknown (daemon not read
     * yet); {@code ports} what the spec publishes (null: the spec does not manage its ports),
     * {@code published} what the daemon publishes now (random host ports resolved),
     * {@code portsDrift} {@code ports changed: old -> new} or null. Ports are canonical {@code -p}
     * texts with the protocol, e.g. {@code 127.0.0.1:5432:5432/tcp}.
     */
    public record ContainerView(String name, String stack, String state, List<AttachmentView> networks, List<String> ports,
            List<String> published, String portsDrift) {
        public ContainerView {
            networks = List.copyOf(networks);
            ports = ports == null ? null : List.copyOf(ports);
            published = List.copyOf(published);
        }
    }

    /** A network the spec attaches the container to, with the aliases it declares, and whether it is attached now. */
    public record AttachmentView(String network, List<String> aliases, boolean attached) {
        public AttachmentView {
            aliases = List.copyOf(aliases);
        }
    }

    public record NoticeView(String severity, String code, String subject, String message) {}

    /**
     * One problem: {@code kind} is {@code spec} (with file, line, column and the revision that was
     * rejected), {@code plan} (an error notice of the last plan: part of the spec is refused; with
     * its {@code code} and {@code subject}, the resource address such as {@code network.app}),
     * {@code source}, {@code daemon} or {@code apply}.
     */
    public record ErrorView(String kind, String revision, String file, int line, int column, String message, String hint,
            String code, String subject) {

        public ErrorView(String kind, String revision, String file, int line, int column, String message, String hint) {
            this(kind, revision, file, line, column, message, hint, null, null);
        }

        /**
         * {@code file:line:col: message (hint)}, {@code subject: message [code] (hint)} or
         * {@code kind: message}.
         */
        public String text() {
            String where = file != null && !file.isEmpty() ? (line > 0 ? file + ":" + line + ":" + column : file)
                    : subject != null && !subject.isEmpty() ? subject : kind;
            return where + ": " + message + (code == null || code.isEmpty() ? "" : " [" + code + "]")
                    + (hint == null || hint.isEmpty() ? "" : " (" + hint + ")");
        }
    }
}

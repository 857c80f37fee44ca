package io.stackwire.controller.loop;

import java.util.List;

/**
 * A snapshot of the loop for {@code GET /status} and {@code stackwire status}; times are ISO-8601
 * text (or null when it has not happened yet).
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
        String lastSuccessAt,
        List<String> pendingContainers,
        List<NoticeView> notices,
        String held,
        List<ErrorView> errors,
        String lastApply,
        boolean eventsConnected,
        int consecutiveFailures) {

    public LoopStatus {
        pendingContainers = pendingContainers == null ? List.of() : List.copyOf(pendingContainers);
        notices = notices == null ? List.of() : List.copyOf(notices);
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public record LastPass(String outcome, String revision, List<String> triggers, String startedAt, long millis,
            int steps, int applied, List<String> failures, String message) {}

    public record NoticeView(String severity, String code, String subject, String message) {}

    /**
     * One problem: {@code kind} is {@code spec} (with file, line, column and the revision that was
     * rejected), {@code source}, {@code daemon} or {@code apply}.
     */
    public record ErrorView(String kind, String revision, String file, int line, int column, String message, String hint) {

        /** {@code file:line:col: message (hint)} or {@code kind: message}. */
        public String text() {
            String where = file == null || file.isEmpty() ? kind : line > 0 ? file + ":" + line + ":" + column : file;
            return where + ": " + message + (hint == null || hint.isEmpty() ? "" : " (" + hint + ")");
        }
    }
}

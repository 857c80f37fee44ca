package io.stackwire.reconcile.render;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.stackwire.reconcile.render.JsonFormat.IpamJson;
import java.util.List;
import java.util.Map;

/**
 * A plan file as docs/schemas/plan-v1.schema.json publishes it, one record an object and one
 * component a key, in the order written. Nulls are written as {@code null} except where a component
 * says it is left out.
 */
record PlanDocument(
        JsonNode formatVersion,
        String host,
        String revision,
        String liveFingerprint,
        List<ChangeJson> changes,
        List<StepJson> steps,
        List<NoticeJson> notices,
        // Written for readers of the file; never read back, since it follows from the changes and notices.
        @JsonProperty(access = JsonProperty.Access.READ_ONLY) PlanSummary summary,
        // Last, since it is long: what apply checks before it changes anything; left out when not recorded.
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, JsonNode> dependencies) {

    record ChangeJson(
            String address,
            String kind,
            String stack,
            String action,
            Map<String, JsonNode> before,
            Map<String, JsonNode> after,
            String reason,
            List<String> forcesReplacement,
            boolean disruptive,
            List<EndpointRefJson> endpoints,
            // Which select: entry gave this container the change; derived from dependencies, so not read back.
            @JsonInclude(JsonInclude.Include.NON_NULL) String selectedBy) {

        /** What an element that is not an object reads as: every field missing. */
        static final ChangeJson ABSENT = new ChangeJson(null, null, null, null, null, null, null, null, false, null, null);
    }

    record EndpointRefJson(String container, String network, boolean managed, boolean running) {

        static final EndpointRefJson ABSENT = new EndpointRefJson(null, null, false, false);
    }

    record StepJson(
            Integer id,
            String op,
            String network,
            String networkId,
            String container,
            CreateJson create,
            EndpointJson endpoint,
            List<Integer> dependsOn,
            int change,
            // Only on replace_container steps, so plans without one read as before.
            @JsonInclude(JsonInclude.Include.NON_NULL) ReplaceJson replace) {

        static final StepJson ABSENT = new StepJson(null, null, null, null, null, null, null, null, 0, null);
    }

    record CreateJson(
            String name,
            String driver,
            boolean internal,
            boolean attachable,
            boolean ipv6,
            IpamJson ipam,
            Map<String, String> options,
            Map<String, String> labels) {}

    record EndpointJson(List<String> aliases, String ipv4Address, String ipv6Address) {}

    record ReplaceJson(String containerId, List<String> ports, boolean needsApproval) {}

    record NoticeJson(String severity, String code, String subject, String stack, String message, String hint) {

        static final NoticeJson ABSENT = new NoticeJson(null, null, null, null, null, null);
    }
}

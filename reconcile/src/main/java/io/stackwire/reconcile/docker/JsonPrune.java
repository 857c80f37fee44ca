package io.stackwire.reconcile.docker;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;

/**
 * Reads a daemon answer into a JSON tree that holds only the fields the observation maps. A
 * container inspect is about 5 KB of which the mapping reads a tenth, and the container list
 * (2 MB at 1,000 containers) is needed for its ids alone: skipping the rest while parsing,
 * instead of building nodes for it, is most of a cold observation's client-side cost.
 */
final class JsonPrune {

    /** Which fields of an object to keep, each with what to keep inside it; {@link #ALL} keeps a whole value. */
    record Keep(Map<String, Keep> fields) {
        static final Keep ALL = new Keep(null);

        static Keep fields(Map<String, Keep> fields) {
            return new Keep(Map.copyOf(fields));
        }
    }

    private JsonPrune() {}

    /**
     * Parses {@code json}. An object keeps the fields {@code keep} names; an array applies
     * {@code keep} to each element; any other value is kept as it is. An empty answer is an empty object.
     */
    static JsonNode read(ObjectMapper mapper, byte[] json, Keep keep) throws IOException {
        try (JsonParser p = mapper.getFactory().createParser(json)) {
            if (p.nextToken() == null) {
                return mapper.createObjectNode();
            }
            return value(mapper, p, keep);
        }
    }

    private static JsonNode value(ObjectMapper mapper, JsonParser p, Keep keep) throws IOException {
        JsonToken t = p.currentToken();
        if (keep.fields() == null || (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY)) {
            JsonNode n = mapper.readTree(p);
            return n == null ? NullNode.getInstance() : n;
        }
        if (t == JsonToken.START_ARRAY) {
            ArrayNode a = mapper.createArrayNode();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                a.add(value(mapper, p, keep));
            }
            return a;
        }
        ObjectNode o = mapper.createObjectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            Keep inner = keep.fields().get(name);
            if (inner == null) {
                p.skipChildren();
            } else {
                o.set(name, value(mapper, p, inner));
            }
        }
        return o;
    }
}

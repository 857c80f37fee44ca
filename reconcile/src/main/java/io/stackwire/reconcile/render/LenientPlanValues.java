package io.stackwire.reconcile.render;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.NumberInput;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Plan files have always been read the way {@code JsonNode.asText()}, {@code asInt()} and
 * {@code asBoolean()} read: a value of the wrong shape is taken as empty text, 0, false or absent
 * rather than refused. Only an array field that holds something else is refused ("must be an
 * array"), and a step {@code id} that is not a number. Plans are written by stackwire, so this
 * matters only to hand-edited files; it keeps them reading as they always did.
 */
final class LenientPlanValues extends DeserializationProblemHandler {

    @Override
    public Object handleUnexpectedToken(DeserializationContext ctxt, JavaType targetType, JsonToken t, JsonParser p,
            String failureMsg) throws IOException {
        Class<?> type = targetType.getRawClass();
        if (Collection.class.isAssignableFrom(type)) {
            return NOT_HANDLED;
        }
        p.skipChildren();
        if (type == String.class) {
            return "";
        }
        if (type == int.class) {
            return t == JsonToken.VALUE_TRUE ? 1 : 0;
        }
        if (type == boolean.class) {
            return false;
        }
        return null; // an object, a map, or a step id (Integer): absent
    }

    /** A number, text or boolean where an object or a map goes: absent. */
    @Override
    public Object handleMissingInstantiator(DeserializationContext ctxt, Class<?> instClass, ValueInstantiator valueInsts,
            JsonParser p, String msg) {
        return Collection.class.isAssignableFrom(instClass) ? NOT_HANDLED : null;
    }

    @Override
    public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> targetType, String valueToConvert,
            String failureMsg) {
        if (targetType == int.class) {
            return NumberInput.parseAsInt(valueToConvert, 0);
        }
        if (targetType == boolean.class) {
            return "true".equals(valueToConvert.trim());
        }
        return targetType == Integer.class ? null : NOT_HANDLED;
    }

    /** A missing array reads as empty, and a {@code null} in it as {@code absent} ({@code "null"}, 0, an empty object). */
    static <T> List<T> each(List<T> list, T absent) {
        return list == null ? List.of() : list.stream().map(x -> x == null ? absent : x).toList();
    }

    /** A missing map reads as empty, and a {@code null} value in it as {@code "null"}. */
    static Map<String, String> texts(Map<String, String> map) {
        Map<String, String> out = new TreeMap<>();
        if (map != null) {
            map.forEach((k, v) -> out.put(k, String.valueOf(v)));
        }
        return out;
    }
}

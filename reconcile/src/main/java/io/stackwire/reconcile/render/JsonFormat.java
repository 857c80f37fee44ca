package io.stackwire.reconcile.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.stackwire.model.Ipam;
import io.stackwire.model.IpamPool;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Jackson set-up both file formats share. The format records ({@link PlanDocument},
 * {@link LiveStateDocument}) are written in their declared component order, with snake_case keys
 * and sorted maps, so the same value always gives the same bytes.
 */
final class JsonFormat {

    /** Binds the format records; plan files were always read leniently (a number where text goes reads as text). */
    static final ObjectMapper FORMAT = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addHandler(new LenientPlanValues())
            .build();

    /** Binds live state snapshots: they may be written by hand, so a value of the wrong type is refused, never coerced. */
    static final ObjectMapper STRICT = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    /**
     * Attribute values (a change's before/after, a plan's dependencies) are open-ended: any record,
     * map or list, written with sorted keys and Java names, and read back as plain maps and lists.
     */
    static final ObjectMapper VALUES = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .build();

    /** Two-space indentation, {@code "key": value}, empty arrays and objects as {@code []} and {@code {}}. */
    private static final ObjectWriter PRETTY = FORMAT.writer(new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private JsonFormat() {}

    /** Pretty-printed JSON with a final newline. */
    static String write(Object document, String what) {
        try {
            return PRETTY.writeValueAsString(document) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + what, e);
        }
    }

    /** One attribute value as JSON; records and maps become objects with sorted keys. */
    static JsonNode value(Object v) {
        return VALUES.valueToTree(v);
    }

    static Object fromValue(JsonNode v) {
        return VALUES.convertValue(v, Object.class);
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** {@code networks[1].ipam.pools[0].subnet}: where in the file a binding error is. */
    static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            } else if (r.getFieldName() != null) {
                b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
            }
        }
        return b.toString();
    }

    /** {@code {driver, pools: [{subnet, gateway, ip_range, aux_addresses}], options}}, in plans and live state alike. */
    record IpamJson(String driver, List<PoolJson> pools, Map<String, String> options) {

        static IpamJson of(Ipam ipam) {
            return new IpamJson(ipam.driver(), ipam.pools().stream().map(PoolJson::of).toList(), ipam.options());
        }
    }

    record PoolJson(String subnet, String gateway, String ipRange, Map<String, String> auxAddresses) {

        static PoolJson of(IpamPool p) {
            return new PoolJson(p.subnet(), p.gateway(), p.ipRange(), p.auxAddresses());
        }
    }
}

package io.stackwire.reconcile.render;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwire.model.Ipam;
import io.stackwire.model.IpamPool;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** JSON pieces the plan and the live-state formats write the same way (keys sorted, so output is stable). */
final class JsonNodes {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonNodes() {}

    static ObjectNode stringMap(Map<String, String> m) {
        ObjectNode n = NODES.objectNode();
        new TreeMap<>(m).forEach(n::put);
        return n;
    }

    /** {@code {driver, pools: [{subnet, gateway, ip_range, aux_addresses}], options}}. */
    static ObjectNode ipam(Ipam ipam) {
        ObjectNode n = NODES.objectNode();
        n.put("driver", ipam.driver());
        ArrayNode pools = n.putArray("pools");
        for (IpamPool p : ipam.pools()) {
            ObjectNode pn = pools.addObject();
            pn.put("subnet", p.subnet());
            pn.put("gateway", p.gateway());
            pn.put("ip_range", p.ipRange());
            pn.set("aux_addresses", stringMap(p.auxAddresses()));
        }
        n.set("options", stringMap(ipam.options()));
        return n;
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}

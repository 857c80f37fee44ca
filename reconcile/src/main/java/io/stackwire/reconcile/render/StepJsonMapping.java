package io.stackwire.reconcile.render;

import static io.stackwire.reconcile.render.LenientPlanValues.each;
import static io.stackwire.reconcile.render.LenientPlanValues.texts;

import io.stackwire.model.Ipam;
import io.stackwire.model.IpamPool;
import io.stackwire.model.PortBinding;
import io.stackwire.reconcile.Normalizer;
import io.stackwire.reconcile.daemon.ContainerReplace;
import io.stackwire.reconcile.daemon.EndpointConfig;
import io.stackwire.reconcile.daemon.NetworkCreate;
import io.stackwire.reconcile.plan.Step;
import io.stackwire.reconcile.plan.StepOp;
import io.stackwire.reconcile.render.JsonFormat.IpamJson;
import io.stackwire.reconcile.render.JsonFormat.PoolJson;
import io.stackwire.reconcile.render.PlanDocument.CreateJson;
import io.stackwire.reconcile.render.PlanDocument.EndpointJson;
import io.stackwire.reconcile.render.PlanDocument.ReplaceJson;
import io.stackwire.reconcile.render.PlanDocument.StepJson;
import java.util.List;

/** {@link Step} to and from its plan-file object: the only place that builds or takes apart a step. */
final class StepJsonMapping {

    private StepJsonMapping() {}

    static StepJson toJson(Step s) {
        // Every step has every field; those its kind lacks are null (a container step's network "").
        NetworkCreate c = s instanceof Step.CreateNetwork cn ? cn.create() : s instanceof Step.RemoveNetwork rn ? rn.create() : null;
        CreateJson create = c == null ? null : new CreateJson(c.name(), c.driver(), c.internal(), c.attachable(), c.ipv6(),
                IpamJson.of(c.ipam()), c.options(), c.labels());
        EndpointConfig e = s instanceof Step.Connect cs ? cs.endpoint() : s instanceof Step.Disconnect ds ? ds.endpoint() : null;
        EndpointJson endpoint = e == null ? null : new EndpointJson(e.aliases(), e.ipv4Address(), e.ipv6Address());
        ContainerReplace r = s instanceof Step.ReplaceContainer rc ? rc.replace() : null;
        ReplaceJson replace = r == null ? null
                : new ReplaceJson(r.containerId(), Normalizer.portTexts(r.ports()), r.needsApproval());
        return new StepJson(s.id(), JsonFormat.lower(s.op()), s instanceof Step.OnNetwork on ? on.network() : "",
                s instanceof Step.RemoveNetwork rn ? rn.networkId() : null, s instanceof Step.OnContainer oc ? oc.container() : null,
                create, endpoint,
                s.dependsOn(), s.change(), replace);
    }

    static Step fromJson(StepJson s) {
        EndpointJson e = s.endpoint();
        EndpointConfig endpoint = e == null ? null : new EndpointConfig(each(e.aliases(), "null"), e.ipv4Address(), e.ipv6Address());
        ReplaceJson r = s.replace();
        ContainerReplace replace = null;
        if (r != null) {
            List<PortBinding> ports = each(r.ports(), "null").stream().map(PortBinding::parse).toList();
            replace = new ContainerReplace(JsonPlan.required(r.containerId(), "container_id"), Normalizer.ports(ports),
                    r.needsApproval());
        }
        if (s.id() == null) {
            throw new IllegalArgumentException("a step has no numeric \"id\"");
        }
        return Step.of(s.id(), JsonPlan.enumOf(StepOp.class, JsonPlan.required(s.op(), "op")), s.network(), s.networkId(),
                s.container(), create(s.create()), endpoint, replace, each(s.dependsOn(), 0), s.change());
    }

    private static NetworkCreate create(CreateJson c) {
        if (c == null) {
            return null;
        }
        IpamJson ipam = c.ipam() == null ? new IpamJson(null, null, null) : c.ipam();
        List<IpamPool> pools = each(ipam.pools(), new PoolJson(null, null, null, null)).stream()
                .map(p -> new IpamPool(p.subnet(), p.gateway(), p.ipRange(), texts(p.auxAddresses()))).toList();
        return new NetworkCreate(JsonPlan.required(c.name(), "name"), JsonPlan.required(c.driver(), "driver"),
                c.internal(), c.attachable(), c.ipv6(), new Ipam(ipam.driver(), pools, texts(ipam.options())),
                texts(c.options()), texts(c.labels()));
    }
}

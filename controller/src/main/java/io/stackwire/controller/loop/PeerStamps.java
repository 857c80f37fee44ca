package io.stackwire.controller.loop;

import io.stackwire.controller.source.SpecSource;
import io.stackwire.model.DesiredState;
import io.stackwire.reconcile.Labels;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.Normalizer;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.daemon.NetworkCreate;
import io.stackwire.reconcile.plan.NoticeCode;
import io.stackwire.reconcile.plan.PeerClaim;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.Step;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How this controller tells its work from another controller's (docs/operations.md, "Two
 * controllers that disagree"): its stable name, the stamps on what it creates and connects, and
 * its conflict claim on the daemon while its plan disagrees with another controller's work.
 */
final class PeerStamps {

    private static final Logger LOG = LoggerFactory.getLogger("io.stackwire.loop");
    private static final String CONFLICT = NoticeCode.CONFLICT_OTHER_REVISION.code();
    static final Duration PEER_QUIET = Duration.ofMinutes(10);

    private final LoopConfig config;
    private final SpecSource source;
    private final Clock clock;
    /** This controller's conflict claim on the daemon. */
    private final ClaimKeeper claims;

    PeerStamps(LoopConfig config, SpecSource source, Clock clock, ClaimKeeper claims) {
        this.config = config;
        this.source = source;
        this.clock = clock;
        this.claims = claims;
    }

    /**
     * How long a network another controller instance (or a hand-run apply) made is left alone when
     * this spec disagrees with it: ten minutes, or two fetch intervals when those are longer, so the
     * other side has fetched at least once in between (docs/planning.md, "Two controllers of one
     * repository").
     */
    static Duration peerQuiet(Duration interval) {
        Duration twice = interval.multipliedBy(2);
        return twice.compareTo(PEER_QUIET) > 0 ? twice : PEER_QUIET;
    }

    /**
     * What this controller enforces, as a stable name: its spec source (repository, ref, path or
     * folder) and host overlay, hashed. The same after a restart, unlike the instance ID, so that a
     * restarted controller with a new commit replaces its own networks at once; two controllers
     * that enforce different things get different names.
     */
    String controllerName(DesiredState d) {
        String host = d != null ? d.host() : config.host() == null ? "" : config.host();
        return Normalizer.sha256Hex(source.describe() + "\n" + host).substring(0, 16);
    }

    /**
     * Leaves this controller's claim on the daemon while its plan reports a conflict with another
     * controller (each network it holds off or that another one holds off, with the spec hash this
     * spec wants), renewed every interval; removes it when the conflict is over. No conflict, no
     * Docker call. A dry run writes nothing. False when the claim could not be written.
     */
    boolean keepClaim(Plan plan, LiveState live, DesiredState desired) {
        if (config.dryRun()) {
            return true;
        }
        Map<String, String> contested = new TreeMap<>();
        for (io.stackwire.reconcile.plan.Notice n : plan.notices()) {
            if (!CONFLICT.equals(n.code()) || n.subject() == null) {
                continue;
            }
            String name = n.subject().name();
            switch (n.subject().kind()) {
                case NETWORK -> {
                    if (desired.networks().containsKey(name)) {
                        contested.put(n.subject().address(), PeerClaim.hashOf(desired.networks().get(name)));
                    }
                }
                case ATTACHMENT -> {
                    io.stackwire.model.ContainerSpec c = desired.containers().get(name);
                    if (c != null) {
                        c.attachments().stream().filter(a -> a.network().equals(n.subject().network())).findFirst()
                                .ifPresent(a -> contested.put(n.subject().address(), PeerClaim.hashOf(a)));
                    }
                }
                default -> { }
            }
        }
        try {
            claims.sync(controllerName(desired), config.instanceId(), Labels.revision(desired.revision()),
                    desired.owner() == null ? "" : desired.owner(), contested, live);
            return true;
        } catch (GatewayException e) {
            LOG.warn("cannot leave the conflict claim on the daemon: {}; the other controller may take over"
                    + " once its quiet period ends", e.getMessage());
            return false;
        }
    }

    /** A controller that stops no longer asserts its spec: the other may go ahead. */
    void withdraw() {
        try {
            claims.withdraw();
        } catch (GatewayException e) {
            LOG.warn("removing the conflict claim: {}; it lapses by itself", e.getMessage());
        }
    }

    /**
     * Stamps this controller's instance ID and stable name on the networks it creates, and on the
     * endpoints it connects (their driver options, with the revision and the time: an endpoint has
     * no labels), so that another controller can tell its work from drift.
     */
    Plan stamped(Plan plan, DesiredState desired) {
        List<Step> steps = new ArrayList<>();
        Map<String, String> stamp = Map.of(PeerClaim.STAMP_CONTROLLER, controllerName(desired),
                PeerClaim.STAMP_INSTANCE, config.instanceId(),
                PeerClaim.STAMP_REVISION, Labels.revision(desired.revision()),
                PeerClaim.STAMP_CONNECTED, Long.toString(clock.instant().getEpochSecond()));
        for (Step s : plan.steps()) {
            if (s instanceof Step.Connect connect && connect.endpoint() != null) {
                s = connect.withEndpoint(connect.endpoint().withDriverOpts(stamp));
            }
            if (s instanceof Step.CreateNetwork create && create.create() != null) {
                NetworkCreate c = create.create();
                Map<String, String> labels = new TreeMap<>(c.labels());
                labels.put(Labels.OWNER, config.instanceId());
                labels.put(Labels.CONTROLLER, controllerName(desired));
                s = create.withCreate(new NetworkCreate(c.name(), c.driver(), c.internal(), c.attachable(), c.ipv6(), c.ipam(),
                        c.options(), labels));
            }
            steps.add(s);
        }
        return plan.withSteps(steps);
    }
}

package io.stackwire.reconcile.plan;

import io.stackwire.model.Attachment;
import io.stackwire.model.NetworkSpec;
import io.stackwire.reconcile.Labels;
import io.stackwire.reconcile.Normalizer;
import io.stackwire.reconcile.daemon.EndpointConfig;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.daemon.NetworkCreate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A controller's standing word, left on the daemon while it is in a conflict with another
 * controller of its repository: "I, controller {@code controller}, still assert my spec for these
 * networks (their spec hashes), alive until {@code expires}". Docker cannot relabel a network, so
 * the claim is a small internal network of its own, {@code stackwire-claim.<controller>.<slot>},
 * renewed by creating the other slot and removing the old one (docs/operations.md, "Two
 * controllers that disagree"). It is listed with every other network, so reading it costs no
 * Docker call; a controller with no conflict has none.
 *
 * <p>Endpoints carry no labels either: the loop stamps the driver options of each endpoint it
 * connects ({@link #STAMP_CONTROLLER}, {@link #STAMP_REVISION}, {@link #STAMP_CONNECTED}), which
 * Docker keeps with the endpoint; that is how an attachment another controller just made is told
 * from drift.
 *
 * @param controller the stable controller name ({@link Labels#CONTROLLER})
 * @param instance the controller process's instance ID, for people
 * @param revision the revision it enforces ({@link Labels#revision})
 * @param repo the repository owner identity it enforces
 * @param since when this controller first saw the conflict
 * @param expires when the claim lapses unless renewed: past it, the controller counts as gone
 * @param resources what it wants, by resource address ({@code network.front},
 *     {@code attachment.web/front}) to a hash of its spec for it ({@link #hashOf})
 */
public record PeerClaim(String controller, String instance, String revision, String repo, Instant since,
        Instant expires, Map<String, String> resources) {

    /** Names of claim networks start with this. */
    public static final String NAME_PREFIX = "stackwire-claim.";
    /** Marks a claim network; its value is the controller name. */
    public static final String LABEL = Labels.PREFIX + "claim";
    static final String INSTANCE = LABEL + ".instance";
    static final String REVISION = LABEL + ".revision";
    static final String REPO = LABEL + ".repo";
    static final String SINCE = LABEL + ".since";
    static final String EXPIRES = LABEL + ".expires";
    static final String RESOURCE = LABEL + ".";
    /** Endpoint driver options the loop stamps on each connect: which controller, from which revision, when. */
    public static final String STAMP_CONTROLLER = Labels.CONTROLLER;
    public static final String STAMP_INSTANCE = Labels.OWNER;
    public static final String STAMP_REVISION = Labels.REVISION;
    public static final String STAMP_CONNECTED = Labels.PREFIX + "connected";

    public PeerClaim {
        Objects.requireNonNull(controller, "controller");
        instance = instance == null ? "" : instance;
        revision = revision == null ? "" : revision;
        repo = repo == null ? "" : repo;
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(expires, "expires");
        resources = resources == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(resources));
    }

    /** The claim network's name for a controller and one of its two slots. */
    public static String networkName(String controller, int slot) {
        return NAME_PREFIX + controller + "." + slot;
    }

    /** The controller a claim network's name belongs to, or null when the name is no claim's. */
    public static String controllerOf(String networkName) {
        if (networkName == null || !networkName.startsWith(NAME_PREFIX)) {
            return null;
        }
        String rest = networkName.substring(NAME_PREFIX.length());
        int dot = rest.lastIndexOf('.');
        return dot <= 0 ? null : rest.substring(0, dot);
    }

    /** Every readable claim among the observed networks, in name order. */
    public static List<PeerClaim> of(LiveState live) {
        List<PeerClaim> out = new ArrayList<>();
        for (LiveNetwork n : live.networks().values()) {
            parse(n).ifPresent(out::add);
        }
        return List.copyOf(out);
    }

    /** The claim a network carries; empty for any other network, or one without a readable expiry. */
    public static Optional<PeerClaim> parse(LiveNetwork n) {
        String controller = n.labels().get(LABEL);
        if (controller == null || controller.isEmpty() || !n.name().startsWith(NAME_PREFIX)) {
            return Optional.empty();
        }
        Instant expires = epoch(n.labels().get(EXPIRES));
        if (expires == null) {
            return Optional.empty();
        }
        Instant since = epoch(n.labels().get(SINCE));
        Map<String, String> resources = new TreeMap<>();
        n.labels().forEach((k, v) -> {
            String address = k.startsWith(RESOURCE) ? k.substring(RESOURCE.length()) : "";
            if (address.startsWith("network.") || address.startsWith("attachment.")) {
                resources.put(address, v);
            }
        });
        return Optional.of(new PeerClaim(controller, n.labels().get(INSTANCE), n.labels().get(REVISION),
                n.labels().get(REPO), since == null ? expires : since, expires, resources));
    }

    /**
     * The request that leaves this claim on the daemon in {@code slot}: an internal bridge network.
     * Not config-only like the lease: Docker 20.10 sends no {@code destroy} event for a config-only
     * network, and the other controller learns that a claim was withdrawn from that event.
     */
    public NetworkCreate request(int slot) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(LABEL, controller);
        labels.put(INSTANCE, instance);
        labels.put(REVISION, revision);
        labels.put(REPO, repo);
        labels.put(SINCE, Long.toString(since.getEpochSecond()));
        labels.put(EXPIRES, Long.toString(expires.getEpochSecond()));
        resources.forEach((address, hash) -> labels.put(RESOURCE + address, hash));
        return new NetworkCreate(networkName(controller, slot), "bridge", true, false, false, null, null, labels);
    }

    /** The same claim, lapsing at {@code at}. */
    public PeerClaim renewedUntil(Instant at) {
        return new PeerClaim(controller, instance, revision, repo, since, at, resources);
    }

    /** Whether two claims say the same thing, whatever their expiry. */
    public boolean sameWord(PeerClaim o) {
        return o != null && controller.equals(o.controller) && instance.equals(o.instance) && revision.equals(o.revision)
                && repo.equals(o.repo) && resources.equals(o.resources);
    }

    /** The hash a claim gives a network spec: its spec-hash label. */
    public static String hashOf(NetworkSpec spec) {
        return Normalizer.specHash(spec);
    }

    /** The hash a claim gives an attachment: of its endpoint as the spec asks for it (aliases, static addresses). */
    public static String hashOf(Attachment a) {
        EndpointConfig e = PlanContext.desiredEndpoint(a);
        return Normalizer.sha256Hex(e.aliases() + "|" + e.ipv4Address() + "|" + e.ipv6Address()).substring(0, 16);
    }

    /** Who, for messages: {@code controller <instance> at revision <rev>}. */
    String who() {
        return "controller " + (instance.isEmpty() ? controller : instance) + " at revision "
                + (revision.isEmpty() ? "an unknown revision" : revision);
    }

    static Instant epoch(String text) {
        try {
            return text == null ? null : Instant.ofEpochSecond(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

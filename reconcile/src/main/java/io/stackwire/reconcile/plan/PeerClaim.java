package io.stackwire.reconcile.plan;

import io.stackwire.reconcile.Labels;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.docker.NetworkCreate;
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
 * @param controller the stable controller name ({@link Labels#CONTROLLER})
 * @param instance the controller process's instance ID, for people
 * @param revision the revision it enforces ({@link Labels#revision})
 * @param repo the repository owner identity it enforces
 * @param since when this controller first saw the conflict
 * @param expires when the claim lapses unless renewed: past it, the controller counts as gone
 * @param networks network name to the spec hash this controller wants for it
 */
public record PeerClaim(String controller, String instance, String revision, String repo, Instant since,
        Instant expires, Map<String, String> networks) {

    /** Names of claim networks start with this. */
    public static final String NAME_PREFIX = "stackwire-claim.";
    /** Marks a claim network; its value is the controller name. */
    public static final String LABEL = Labels.PREFIX + "claim";
    static final String INSTANCE = LABEL + ".instance";
    static final String REVISION = LABEL + ".revision";
    static final String REPO = LABEL + ".repo";
    static final String SINCE = LABEL + ".since";
    static final String EXPIRES = LABEL + ".expires";
    static final String NETWORK = LABEL + ".network.";

    public PeerClaim {
        Objects.requireNonNull(controller, "controller");
        instance = instance == null ? "" : instance;
        revision = revision == null ? "" : revision;
        repo = repo == null ? "" : repo;
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(expires, "expires");
        networks = networks == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(networks));
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
        Map<String, String> networks = new TreeMap<>();
        n.labels().forEach((k, v) -> {
            if (k.startsWith(NETWORK) && k.length() > NETWORK.length()) {
                networks.put(k.substring(NETWORK.length()), v);
            }
        });
        return Optional.of(new PeerClaim(controller, n.labels().get(INSTANCE), n.labels().get(REVISION),
                n.labels().get(REPO), since == null ? expires : since, expires, networks));
    }

    /** The request that leaves this claim on the daemon in {@code slot}: an internal bridge network, like the lease. */
    public NetworkCreate request(int slot) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(LABEL, controller);
        labels.put(INSTANCE, instance);
        labels.put(REVISION, revision);
        labels.put(REPO, repo);
        labels.put(SINCE, Long.toString(since.getEpochSecond()));
        labels.put(EXPIRES, Long.toString(expires.getEpochSecond()));
        networks.forEach((name, hash) -> labels.put(NETWORK + name, hash));
        return new NetworkCreate(networkName(controller, slot), "bridge", true, false, false, null, null, labels);
    }

    /** The same claim, lapsing at {@code at}. */
    public PeerClaim renewedUntil(Instant at) {
        return new PeerClaim(controller, instance, revision, repo, since, at, networks);
    }

    /** Whether two claims say the same thing, whatever their expiry. */
    public boolean sameWord(PeerClaim o) {
        return o != null && controller.equals(o.controller) && instance.equals(o.instance) && revision.equals(o.revision)
                && repo.equals(o.repo) && networks.equals(o.networks);
    }

    /** Who, for messages: {@code controller <instance> at revision <rev>}. */
    String who() {
        return "controller " + (instance.isEmpty() ? controller : instance) + " at revision "
                + (revision.isEmpty() ? "an unknown revision" : revision);
    }

    private static Instant epoch(String text) {
        try {
            return text == null ? null : Instant.ofEpochSecond(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

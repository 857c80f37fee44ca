package io.stackwire.model.yaml;

import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.CoreScalarResolver;

/**
 * The core resolver with a shortcut for the commonest scalar in a spec, a name. The base class
 * indexes its rules by first character, but also runs its first-character-independent rules
 * ("empty" and the null words {@code ~ null Null NULL}) as two regex matches on every other
 * scalar: a tenth of composing a big spec (docs/benchmarks.md). A non-empty scalar whose first
 * character has no rule and is not one a null word starts with is a string either way.
 * YamlFileTest holds this resolver and the core one side by side.
 */
final class NamesFirstResolver extends CoreScalarResolver {
    /** The base's first-character-independent rules this shortcut was written for. */
    private static final String KNOWN_ANY = "[Tuple tag=tag:yaml.org,2002:null regexp=^$, "
            + "Tuple tag=tag:yaml.org,2002:null regexp=^(?:~|null|Null|NULL| )$]";
    /** First characters of the null words without a rule of their own ('n' has one). */
    private static final String NULL_STARTS = "~N ";
    private final boolean shortcut;

    NamesFirstResolver() {
        super(false);
        // A library upgrade that changes those rules turns the shortcut off (and fails YamlFileTest).
        shortcut = KNOWN_ANY.equals(String.valueOf(yamlImplicitResolvers.get(null)));
    }

    /** False if the library's rules changed so that the shortcut would no longer be exact. */
    boolean shortcut() {
        return shortcut;
    }

    @Override
    public Tag resolve(String value, Boolean implicit) {
        if (shortcut && implicit && !value.isEmpty()) {
            char c = value.charAt(0);
            if (NULL_STARTS.indexOf(c) < 0 && !yamlImplicitResolvers.containsKey(c)) {
                return Tag.STR;
            }
        }
        return super.resolve(value, implicit);
    }
}

package io.stackwire.model.yaml;

import static io.stackwire.model.yaml.YamlFile.MAX_ALIAS_USES;
import static io.stackwire.model.yaml.YamlFile.MAX_DEPTH;
import static io.stackwire.model.yaml.YamlFile.MAX_EXPANDED;
import static io.stackwire.model.yaml.YamlFile.clip;

import io.stackwire.model.SourceRef;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionEndEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.Parser;

/** The limits the library lacks, enforced while a file is composed: expanded size, alias uses and depth. */
final class ComposeLimits {

    private ComposeLimits() {}

    /** A limit reached while composing, thrown where the file reached it. */
    abstract static class Exceeded extends RuntimeException {
        private final transient Mark mark;

        Exceeded(Mark mark, String message) {
            super(message, null, false, false);
            this.mark = mark;
        }

        /** Where in {@code file} the limit was reached; the file's start when the library gave no mark. */
        SourceRef at(String file) {
            return mark == null ? new SourceRef(file, 1, 1) : new SourceRef(file, mark.getLine() + 1, mark.getColumn() + 1);
        }
    }

    /** Thrown at the alias or value that takes the file over {@link YamlFile#MAX_EXPANDED} or {@link YamlFile#MAX_ALIAS_USES}. */
    static final class TooCostly extends Exceeded {
        TooCostly(Mark mark, String message) {
            super(mark, message);
        }
    }

    /**
     * Counts, as the composer consumes events, what the file costs once aliases are expanded:
     * each anchored node's expanded size is recorded when it ends, each alias adds its anchor's
     * size. The composer never walks an alias's target again, so counting events is enough, and
     * it stops before anything downstream expands a thing.
     */
    static final class CostCountingParser implements Parser {
        private final Parser in;
        private final Map<Anchor, Long> sizes = new HashMap<>();
        /** Open lists and mappings: their anchor (or null) and expanded size so far. */
        private final Deque<long[]> open = new ArrayDeque<>();
        private final Deque<Optional<Anchor>> openAnchors = new ArrayDeque<>();
        private long total;
        private int aliases;

        CostCountingParser(Parser in) {
            this.in = in;
        }

        @Override
        public boolean checkEvent(Event.ID id) {
            return in.checkEvent(id);
        }

        @Override
        public Event peekEvent() {
            return in.peekEvent();
        }

        @Override
        public boolean hasNext() {
            return in.hasNext();
        }

        @Override
        public Event next() {
            Event e = in.next();
            Mark at = e.getStartMark().orElse(null);
            if (e instanceof ScalarEvent s) {
                long size = 1L + s.getValue().length();
                s.getAnchor().ifPresent(a -> sizes.put(a, size));
                add(size, at);
            } else if (e instanceof AliasEvent a) {
                if (++aliases > MAX_ALIAS_USES) {
                    throw new TooCostly(at, "more than " + MAX_ALIAS_USES + " alias uses in one file");
                }
                Long size = sizes.get(a.getAlias());
                if (size != null && size > MAX_EXPANDED - total) {
                    throw new TooCostly(at, "alias *" + clip(a.getAlias().getValue()) + " takes the file over "
                            + (MAX_EXPANDED >> 20) + " Mi characters once aliases are expanded");
                }
                add(size == null ? 1 : size, at); // an unknown alias is the composer's error
            } else if (e instanceof CollectionStartEvent c) {
                add(1, at);
                open.push(new long[] {1});
                openAnchors.push(c.getAnchor());
            } else if (e instanceof CollectionEndEvent && !open.isEmpty()) {
                long size = open.pop()[0]; // already in total, item by item
                openAnchors.pop().ifPresent(a -> sizes.put(a, size));
                if (!open.isEmpty()) {
                    open.peek()[0] += size;
                }
            }
            return e;
        }

        private void add(long size, Mark at) {
            total += size;
            if (!open.isEmpty()) {
                open.peek()[0] += size;
            }
            if (total > MAX_EXPANDED) {
                throw new TooCostly(at, "the file stands for more than " + (MAX_EXPANDED >> 20)
                        + " Mi characters once aliases are expanded");
            }
        }
    }

    /** Thrown at the first list or mapping nested deeper than {@link YamlFile#MAX_DEPTH}, where it starts. */
    static final class TooDeep extends Exceeded {
        TooDeep(Mark mark) {
            super(mark, null);
        }
    }

    /** The library's composer, counting how deep it is before it recurses into a list or mapping. */
    static final class DepthLimitedComposer extends Composer {
        private int depth;

        DepthLimitedComposer(LoadSettings settings, Parser parser) {
            super(settings, parser);
        }

        /** Composes one list or mapping a level deeper, refusing it past {@link YamlFile#MAX_DEPTH}. */
        private <T extends Node> T nested(Supplier<T> compose) {
            if (++depth > MAX_DEPTH) {
                throw new TooDeep(parser.peekEvent().getStartMark().orElse(null));
            }
            try {
                return compose.get();
            } finally {
                depth--;
            }
        }

        @Override
        protected SequenceNode composeSequenceNode(Optional<Anchor> anchor) {
            return nested(() -> super.composeSequenceNode(anchor));
        }

        @Override
        protected Node composeMappingNode(Optional<Anchor> anchor) {
            return nested(() -> super.composeMappingNode(anchor));
        }
    }
}

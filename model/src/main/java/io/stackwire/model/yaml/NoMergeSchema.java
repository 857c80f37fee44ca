package io.stackwire.model.yaml;

import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/** YAML 1.2 core schema, but "<<" stays a plain key so the readers reject it instead of merging. */
final class NoMergeSchema extends CoreSchema {
    private final ScalarResolver resolver = new NamesFirstResolver();

    @Override
    public ScalarResolver getScalarResolver() {
        return resolver;
    }
}

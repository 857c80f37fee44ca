package io.stackwire.reconcile.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One of the schemas published in docs/schemas, checked with a JSON Schema 2020-12 validator that
 * also asserts {@code format} ({@code date-time}), so a written file is checked against what
 * readers of the format were promised, not just against our own reader. The controller's tests use
 * it too, through the test-jar, for what the CLI really prints and saves.
 */
public final class PublishedSchema {

    public static final PublishedSchema PLAN = load("plan-v1.schema.json");
    public static final PublishedSchema LIVE_STATE = load("live-state-v1.schema.json");

    private final String name;
    private final Schema schema;

    private PublishedSchema(String name, Schema schema) {
        this.name = name;
        this.schema = schema;
    }

    private static PublishedSchema load(String name) {
        try {
            String text = Files.readString(Path.of("..", "docs", "schemas", name), StandardCharsets.UTF_8);
            return new PublishedSchema(name, SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the validator finds wrong, one line each ({@code /steps/0/op: does not have a value in the enumeration ...}). */
    public List<String> errors(String json) {
        List<Error> errors = schema.validate(json, InputFormat.JSON,
                context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)));
        return errors.stream().map(Error::toString).toList();
    }

    public void assertValid(String json) {
        assertThat(errors(json)).as("%s against docs/schemas/%s", abbreviated(json), name).isEmpty();
    }

    private static String abbreviated(String json) {
        return json.length() <= 200 ? json : json.substring(0, 200) + "...";
    }
}

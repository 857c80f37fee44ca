package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The file formats published in docs/schemas, for checking what the CLI really prints and saves (formats asserted). */
enum PublishedSchemas {
    PLAN("plan-v1.schema.json"),
    LIVE_STATE("live-state-v1.schema.json");

    private final String file;
    private final Schema schema;

    PublishedSchemas(String file) {
        this.file = file;
        try {
            this.schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(Files.readString(Path.of("..", "docs", "schemas", file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void assertValid(String json) {
        assertThat(schema.validate(json, InputFormat.JSON, c -> c.executionConfig(x -> x.formatAssertionsEnabled(true))))
                .as("output against docs/schemas/%s", file).isEmpty();
    }
}

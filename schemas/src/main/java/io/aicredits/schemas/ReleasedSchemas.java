package io.aicredits.schemas;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;

/**
 * Every released version of every event schema, kept as resources under
 * {@code io/aicredits/schemas/released/} and listed in its {@code index} file
 * ({@code <record full name> <resource file>} per line, oldest first).
 *
 * <p>Decoders resolve a payload's fingerprint against this store, so data written by any
 * released producer stays readable. A schema change is released by adding its file to the
 * index; the build's compatibility test then checks the current schema can read every version.
 */
public final class ReleasedSchemas {

    private static final String BASE = "/io/aicredits/schemas/released/";
    private static final Map<String, List<Schema>> VERSIONS = load();
    private static final SchemaStore.Cache STORE = buildStore();

    /** The store of all released schemas of all event types. */
    public static SchemaStore store() {
        return STORE;
    }

    /** Released versions of one record, oldest first; empty when none was released. */
    public static List<Schema> versionsOf(String recordFullName) {
        return VERSIONS.getOrDefault(recordFullName, List.of());
    }

    /** Full names of all records with released versions. */
    public static List<String> recordNames() {
        return List.copyOf(VERSIONS.keySet());
    }

    /** CRC-64-AVRO fingerprint of a schema's parsing canonical form, as used in the message header. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    private static SchemaStore.Cache buildStore() {
        SchemaStore.Cache cache = new SchemaStore.Cache();
        VERSIONS.values().forEach(list -> list.forEach(cache::addSchema));
        return cache;
    }

    private static Map<String, List<Schema>> load() {
        Map<String, List<Schema>> versions = new LinkedHashMap<>();
        for (String line : readLines(BASE + "index")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] parts = trimmed.split("\\s+");
            if (parts.length != 2) {
                throw new IllegalStateException("Bad line in released schema index: '" + line + "'");
            }
            Schema schema = parse(BASE + parts[1]);
            if (!schema.getFullName().equals(parts[0])) {
                throw new IllegalStateException("Released schema " + parts[1] + " defines " + schema.getFullName()
                        + ", but the index says " + parts[0]);
            }
            versions.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(schema);
        }
        versions.replaceAll((name, list) -> Collections.unmodifiableList(list));
        return Collections.unmodifiableMap(versions);
    }

    static Schema parse(String resource) {
        try (InputStream in = open(resource)) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read released schema " + resource, e);
        }
    }

    private static List<String> readLines(String resource) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(open(resource), StandardCharsets.UTF_8))) {
            return reader.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource, e);
        }
    }

    private static InputStream open(String resource) {
        InputStream in = ReleasedSchemas.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("Missing resource " + resource);
        }
        return in;
    }

    private ReleasedSchemas() {
    }
}

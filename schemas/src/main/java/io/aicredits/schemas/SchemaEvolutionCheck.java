package io.aicredits.schemas;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Backward-compatibility rule for the wire contract: the current schema of an event must be able
 * to read data written with every released version of it, and must itself be released (so no
 * producer can emit a fingerprint that consumers do not know). Run by the build's tests.
 */
public final class SchemaEvolutionCheck {

    /** Problems found for one current schema against its released versions; empty when compatible. */
    public static List<String> problems(Schema current, List<Schema> released) {
        List<String> problems = new ArrayList<>();
        long currentFingerprint = ReleasedSchemas.fingerprint(current);
        if (released.stream().noneMatch(s -> ReleasedSchemas.fingerprint(s) == currentFingerprint)) {
            problems.add(current.getFullName() + ": the current schema is not released; add it as a new version "
                    + "file under io/aicredits/schemas/released/ and to its index");
        }
        for (int version = 0; version < released.size(); version++) {
            Schema writer = released.get(version);
            SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(current, writer);
            if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
                problems.add(current.getFullName() + ": cannot read data written with released version "
                        + (version + 1) + ": " + result.getResult().getIncompatibilities());
            }
        }
        return problems;
    }

    /** Checks a current schema against what {@link ReleasedSchemas} holds for its name. */
    public static List<String> problems(Schema current) {
        return problems(current, ReleasedSchemas.versionsOf(current.getFullName()));
    }

    private SchemaEvolutionCheck() {
    }
}

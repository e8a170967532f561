package io.aicredits.analytics.rows;

import com.clickhouse.client.api.ServerException;
import io.aicredits.analytics.clickhouse.ClickHouseAccessException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ClickHouse answered an insert, and refused its rows as invalid (a value it cannot parse or
 * store): a permanent answer, unlike an outage. The insert wrote nothing (inserts are atomic), so
 * the sink may retry the rows one by one and dead-letter those refused again.
 */
public final class RejectedRowsException extends ClickHouseAccessException {

    /**
     * ClickHouse error codes that mean "these rows are invalid", not "try again later": parse
     * failures, type mismatches, out-of-range values, unknown enum elements, NULL in a non-null
     * column, violated constraints.
     */
    static final Set<Integer> INVALID_DATA_CODES = Set.of(
            6,    // CANNOT_PARSE_TEXT
            26,   // CANNOT_PARSE_QUOTED_STRING
            27,   // CANNOT_PARSE_INPUT_ASSERTION_FAILED
            36,   // BAD_ARGUMENTS (e.g. an unknown Enum element in 18.16)
            38,   // CANNOT_PARSE_DATE
            41,   // CANNOT_PARSE_DATETIME
            53,   // TYPE_MISMATCH
            69,   // ARGUMENT_OUT_OF_BOUND
            70,   // CANNOT_CONVERT_TYPE
            72,   // CANNOT_PARSE_NUMBER
            117,  // INCORRECT_DATA
            131,  // TOO_LARGE_STRING_SIZE
            321,  // VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
            349,  // CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN
            469,  // VIOLATED_CONSTRAINT
            691); // UNKNOWN_ELEMENT_OF_ENUM

    private final int code;

    private static final Pattern CODE_IN_MESSAGE = Pattern.compile("\\bCode: (\\d+)");

    RejectedRowsException(String message, ServerException cause) {
        super(message, cause);
        this.code = code(cause);
    }

    public int code() {
        return code;
    }

    /** The server's refusal in a cause chain when it names invalid data, else null (an outage, or unknown). */
    static ServerException invalidData(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ServerException server && INVALID_DATA_CODES.contains(code(server))) {
                return server;
            }
        }
        return null;
    }

    /** The server's error code; ClickHouse 18.16 sends no code header, only "Code: N" in the text. */
    static int code(ServerException server) {
        if (server.getCode() > 0) {
            return server.getCode();
        }
        Matcher code = CODE_IN_MESSAGE.matcher(String.valueOf(server.getMessage()));
        return code.find() ? Integer.parseInt(code.group(1)) : server.getCode();
    }
}

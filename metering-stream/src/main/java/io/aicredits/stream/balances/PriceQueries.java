package io.aicredits.stream.balances;

import java.util.Optional;

/** Answers which prices are in force; empty while the stream cannot read its price store. */
@FunctionalInterface
public interface PriceQueries {
    Optional<PriceList> prices();
}

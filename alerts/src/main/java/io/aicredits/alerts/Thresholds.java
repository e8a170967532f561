package io.aicredits.alerts;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** Which budget thresholds a spend has reached that have not fired yet. */
final class Thresholds {

    private Thresholds() {
    }

    /** Thresholds t (ascending) with {@code spent ≥ t % of budget} not in {@code fired}; none when there is no budget. */
    static List<Integer> newlyReached(long spentNanos, long budgetNanos, List<Integer> fired, List<Integer> thresholds) {
        List<Integer> out = new ArrayList<>();
        if (budgetNanos <= 0) {
            return out;
        }
        BigInteger spent100 = BigInteger.valueOf(spentNanos).multiply(BigInteger.valueOf(100));
        for (int t : thresholds) {
            if (!fired.contains(t) && spent100.compareTo(BigInteger.valueOf(budgetNanos).multiply(BigInteger.valueOf(t))) >= 0) {
                out.add(t);
            }
        }
        return out;
    }
}

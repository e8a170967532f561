package io.aicredits.stream.credits;

import io.aicredits.stream.holds.Hold;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order credits are spent in and given back. Spent: this period's allowance, then bonus
 * grants, then purchased top-ups (grants of a kind soonest-expiring first). Given back in the
 * reverse order, so what stays charged is what the spend order would have used.
 */
public final class SpendOrder {

    public static final String TOP_UP = "TOP_UP";
    public static final String BONUS = "BONUS";

    private SpendOrder() {
    }

    /** Takes up to {@code amount} in spend order, recording the parts on {@code hold} if given; returns what was not covered. */
    public static long take(Account.Pool p, long amount, Hold hold) {
        long left = amount;
        long fromAllowance = Math.min(Math.max(p.allowance, 0), left);
        p.allowance -= fromAllowance;
        left -= fromAllowance;
        if (hold != null) {
            hold.fromAllowance = fromAllowance;
        }
        for (Account.Grant g : grantsInOrder(p)) {
            if (left == 0) {
                break;
            }
            long part = Math.min(g.remaining, left);
            if (part > 0) {
                g.remaining -= part;
                left -= part;
                if (hold != null) {
                    hold.fromGrants.add(new Account.Grant(g.id, g.type, part, g.expiresAt));
                }
            }
        }
        p.grants.removeIf(g -> g.remaining == 0);
        return left;
    }

    /**
     * Returns up to {@code amount} of what the hold took, last-spent first. A grant part whose grant
     * expired meanwhile, and an allowance part from before a refill, are not returned. When the limit
     * was lowered after the hold was placed (a plan downgrade), the allowance part comes back only up
     * to the new limit: the downgrade could not take what was on hold. {@code used} goes down by what
     * the hold still counts in it (nothing after a refill, which started {@code used} from zero),
     * never below zero.
     *
     * @return credits actually returned to the balance
     */
    public static long refund(Account a, Account.Pool p, Hold h, long amount, long now) {
        long left = amount;
        long refunded = 0;
        for (int i = h.fromGrants.size() - 1; i >= 0 && left > 0; i--) {
            Account.Grant part = h.fromGrants.get(i);
            long back = Math.min(part.remaining, left);
            left -= back;
            part.remaining -= back;
            if (part.expiresAt != null && part.expiresAt <= now) {
                continue;
            }
            Account.Grant live = findGrant(p, part.id);
            if (live == null) {
                // Fully spent grants leave the pool; the hold remembers enough to bring one back.
                live = new Account.Grant(part.id, part.type, 0, part.expiresAt);
                p.grants.add(live);
            }
            live.remaining += back;
            refunded += back;
        }
        h.fromGrants.removeIf(g -> g.remaining == 0);
        long fromAllowance = Math.min(h.fromAllowance, left);
        h.fromAllowance -= fromAllowance;
        if (sameRefill(a, p, h)) {
            long back = p.limitLoweredSince(h.epoch) ? Math.min(fromAllowance, Math.max(0, p.limit - p.allowance)) : fromAllowance;
            p.allowance += back;
            refunded += back;
            p.used = Math.max(0, p.used - amount);
        }
        return refunded;
    }

    /** The hold was placed since the pool's last refill, so its allowance part and its {@code used} are this refill's. */
    private static boolean sameRefill(Account a, Account.Pool p, Hold h) {
        return p.sameRefillAs(h.epoch) && h.periodStart == a.periodStart;
    }

    private static Account.Grant findGrant(Account.Pool p, String id) {
        for (Account.Grant g : p.grants) {
            if (g.id.equals(id)) {
                return g;
            }
        }
        return null;
    }

    private static List<Account.Grant> grantsInOrder(Account.Pool p) {
        List<Account.Grant> order = new ArrayList<>(p.grants);
        order.sort(Comparator.comparing((Account.Grant g) -> TOP_UP.equals(g.type) ? 1 : 0)
                .thenComparing(g -> g.expiresAt == null ? Long.MAX_VALUE : g.expiresAt));
        return order;
    }
}

package io.aicredits.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.events.AiRequest;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.DecisionReason;
import io.aicredits.events.GrantType;
import io.aicredits.events.LedgerEntry;
import io.aicredits.events.LedgerKind;
import io.aicredits.events.ResetUser;
import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import io.aicredits.schemas.UsdNanos;
import io.aicredits.stream.credits.Account;
import io.aicredits.stream.holds.Hold;
import io.aicredits.stream.limits.LimitDefaults;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random sequences of every event the stream takes, with the money invariants checked after every
 * step for every user the step touched (and for all users every {@value #FULL_CHECK_EVERY} steps):
 *
 * <ul>
 *   <li>per user and pool, the sum of the ledger deltas equals the balance;</li>
 *   <li>{@code held} equals the sum of that pool's open holds; the account's token and USD
 *       estimates held equal its open holds' estimates;</li>
 *   <li>{@code allowance ≤ limit + credit adjustments since the pool's last refill}: refunds,
 *       refills and plan changes never lift it above the limit; only an admin's {@code AdjustCredits}
 *       credit does. Grants (top-ups, bonuses) are separate buckets beside the allowance, not part of it;</li>
 *   <li>{@code used ≥ 0}; a balance below zero only with recorded overage;</li>
 *   <li>within the dedup window a request id has at most one open hold, is charged (settled, or
 *       charged late) at most once and never held again once charged; a repeated id answered as a
 *       duplicate holds and charges nothing;</li>
 *   <li>an approval never exceeds the balance (the balance after the hold is ≥ 0) nor the USD budget
 *       (settled cost + held estimates ≤ budget right after it), and a rejection for insufficient
 *       credits happens only when the balance does not cover the price.</li>
 * </ul>
 *
 * Each seed starts a few hours before a month boundary, so the run crosses it (lazily and by
 * {@code PeriodOpened}). Record timestamps follow the stream's wall clock, which the run advances to
 * expire holds; the whole run stays inside the dedup window. A failure names the seed and the step.
 */
class MeteringPropertyTest {

    private static final long[] SEEDS = {7, 19, 42, 1_001, 65_537};
    private static final int STEPS = 2_400;
    private static final int USERS = 30;
    private static final int FULL_CHECK_EVERY = 400;
    private static final String[] POOLS = {MeteringSettings.AI_CREDITS, MeteringSettings.GENERATION_CREDITS, MeteringSettings.AI_TOKENS};
    private static final String[] PLANS = {"FREE", "PRO", "TEAM"};
    /** Every user's monthly USD budget: small enough that held estimates reach it in most runs. */
    private static final long BUDGET_NANOS = 1_000_000_000L;
    private static final int COST_NANOS_MAX = 120_000_000;

    @Test
    void shouldKeepEveryMoneyInvariantAfterEveryStepOfRandomSequences() {
        int steps = 0;
        Set<String> seen = new HashSet<>();
        for (long seed : SEEDS) {
            steps += new Run(seed, seen).run();
        }
        assertThat(steps).isGreaterThanOrEqualTo(10_000);
        // The sequences reached every outcome the invariants are meant to cover.
        assertThat(seen).contains("duplicate", "APPROVED", "INSUFFICIENT_CREDITS", "BUDGET_EXCEEDED", "UNKNOWN_OPERATION",
                "HOLD_SETTLED", "HOLD_RELEASED", "HOLD_EXPIRED", "OVERAGE_CHARGED", "late charge", "refund capped",
                "TOP_UP", "BONUS", "GRANT_EXPIRED", "ADJUSTMENT", "PLAN_CHANGED", "USER_RESET", "PERIOD_RESET", "OTHER");
    }

    /** One seed's sequence, with the model the invariants are checked against. */
    private static final class Run {

        private final long seed;
        private final Random random;
        private final MeteringSettings settings = MeteringSettings.defaults();
        private final List<String> operations = new ArrayList<>(settings.catalog().keySet());
        private final Map<String, Long> ledgerSums = new HashMap<>();
        private final Map<String, Long> adjustedUp = new HashMap<>();
        private final Set<String> overdrawn = new HashSet<>();
        private final Map<String, Set<String>> poolsByUser = new HashMap<>();
        private final Map<String, List<String>> requestIds = new HashMap<>();
        private final Set<String> open = new HashSet<>();
        private final Map<String, Integer> charged = new HashMap<>();
        private int requestSeq;
        private int step;
        private String event = "start";

        private final Set<String> seen;

        Run(long seed, Set<String> seen) {
            this.seed = seed;
            this.seen = seen;
            this.random = new Random(seed);
        }

        int run() {
            Instant start = MeteringDriver.FEB_1.minus(Duration.ofHours(2 + random.nextInt(6)));
            try (MeteringDriver driver = new MeteringDriver(settings, true,
                    LimitDefaults.none().withUserMonthlyBudgetUsd(UsdNanos.toUsd(BUDGET_NANOS)), start)) {
                for (step = 1; step <= STEPS; step++) {
                    String user = "s" + seed + "-u" + random.nextInt(USERS);
                    driver.at(driver.wallClock().plusMillis(random.nextInt(60_000)));
                    try {
                        Set<String> touched = new LinkedHashSet<>();
                        touched.add(user);
                        apply(driver, user, touched);
                        check(driver, step % FULL_CHECK_EVERY == 0 ? allUsers(driver) : touched);
                    } catch (AssertionError | RuntimeException e) {
                        throw new AssertionError("seed " + seed + ", step " + step + " (" + event + "): " + e.getMessage(), e);
                    }
                }
                assertThat(Duration.between(start, driver.wallClock()))
                        .as("seed %d: the run stays inside the dedup window, so no request id may be charged twice", seed)
                        .isLessThan(settings.dedupWindow());
                driver.advanceWallClock(settings.holdTimeout().plusSeconds(10));
                event = "every hold timed out";
                driver.newLedger().forEach(this::record);
                check(driver, allUsers(driver));
                assertThat(openHolds(driver)).as("seed %d: every hold expired after the timeout", seed).isZero();
            }
            return STEPS;
        }

        private void apply(MeteringDriver driver, String user, Set<String> touched) {
            List<String> mine = requestIds.computeIfAbsent(user, u -> new ArrayList<>());
            int dice = random.nextInt(100);
            if (dice < 36) {
                request(driver, user, mine);
            } else if (dice < 62) {
                usage(driver, user, mine);
            } else if (dice < 68) {
                GrantType type = random.nextBoolean() ? GrantType.TOP_UP : GrantType.BONUS;
                Instant expires = random.nextBoolean() ? null : driver.wallClock().plus(Duration.ofMinutes(5 + random.nextInt(600)));
                String pool = pick(POOLS);
                event = "grant " + type + " to " + user + " in " + pool + " expiring " + expires;
                driver.grant(user, pool, 1 + random.nextInt(50), type, expires);
            } else if (dice < 74) {
                String pool = pick(POOLS);
                long delta = random.nextInt(81) - 50;
                event = "adjust " + user + " " + pool + " by " + delta;
                driver.adjust(user, pool, delta);
            } else if (dice < 78) {
                String plan = pick(PLANS);
                event = "set plan of " + user + " to " + plan;
                driver.setPlan(user, plan);
            } else if (dice < 81) {
                String pool = random.nextBoolean() ? null : pick(POOLS);
                event = "reset " + user + (pool == null ? "" : " " + pool);
                driver.command(user, ResetUser.newBuilder().setPool(pool).build());
            } else if (dice < 82) {
                YearMonth month = YearMonth.from(driver.wallClock().atZone(ZoneOffset.UTC));
                event = "period " + month + " opened";
                driver.periodOpened(month.toString(), month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant());
            } else {
                Duration d = Duration.ofSeconds(random.nextInt(240));
                event = "wall clock +" + d;
                driver.advanceWallClock(d);
            }
            for (LedgerEntry e : driver.newLedger()) {
                record(e);
                touched.add(e.getUserId());
            }
        }

        private void request(MeteringDriver driver, String user, List<String> mine) {
            boolean repeat = !mine.isEmpty() && random.nextInt(8) == 0;
            String requestId = repeat ? mine.get(random.nextInt(mine.size())) : "s" + seed + "-r" + (++requestSeq);
            String op = random.nextInt(40) == 0 ? "teleport" : operations.get(random.nextInt(operations.size()));
            AiRequest.Builder b = AiRequest.newBuilder().setRequestId(requestId).setUserId(user).setOperationType(op)
                    .setRequestedAt(driver.eventTime());
            if (random.nextInt(3) > 0) {
                b.setEstimatedCostUsdNanos((long) random.nextInt(COST_NANOS_MAX));
            }
            int estimate = random.nextInt(4);
            if (estimate == 1) {
                b.setEstimatedTokens((long) random.nextInt(40_000));
            } else if (estimate == 2) {
                b.setEstimatedCredits((long) random.nextInt(30));
            }
            event = "request " + requestId + " of " + user + " for " + op + (repeat ? " (repeated id)" : "");
            CreditDecision d = driver.request(b.build());
            List<LedgerEntry> ledger = driver.newLedger();
            seen.add(d.getDuplicate() ? "duplicate" : d.getReason().name());
            if (d.getDuplicate()) {
                assertThat(repeat).as("only a repeated id is a duplicate").isTrue();
                assertThat(ledger).as("a duplicate holds and charges nothing")
                        .noneMatch(e -> e.getCauseId().equals(requestId));
            } else if (!mine.contains(requestId)) {
                mine.add(requestId);
            }
            if (d.getApproved() && !d.getDuplicate()) {
                assertThat(d.getBalance()).as("approval beyond the balance").isGreaterThanOrEqualTo(0);
                Account a = driver.account(user);
                assertThat(a.costNanos + a.costHeldNanos).as("approval beyond the USD budget (settled + held)")
                        .isLessThanOrEqualTo(BUDGET_NANOS);
                assertThat(ledger).filteredOn(e -> e.getKind() == LedgerKind.HOLD_PLACED).singleElement()
                        .satisfies(e -> assertThat(-e.getDelta()).isEqualTo(d.getCreditsHeld()));
            }
            if (!d.getApproved() && !d.getDuplicate() && d.getReason() == DecisionReason.INSUFFICIENT_CREDITS) {
                assertThat(d.getBalance()).as("rejected although the balance covers the price").isLessThan(d.getCreditsRequired());
            }
            for (LedgerEntry e : ledger) {
                record(e);
            }
        }

        private void usage(MeteringDriver driver, String user, List<String> mine) {
            String requestId = mine.isEmpty() || random.nextInt(20) == 0 ? "s" + seed + "-unknown-" + step : mine.get(random.nextInt(mine.size()));
            Hold hold = driver.holds().get(requestId);
            long scale = hold == null ? 10_000 : Math.max(1, hold.amount) * 1_000;
            // Token counts around the hold: below it (refund), at it, above it (overage).
            long tokens = (long) (random.nextDouble() * 2.2 * scale);
            long in = tokens / 2;
            UsageStatus status = random.nextInt(5) == 0 ? UsageStatus.FAILED : UsageStatus.SUCCEEDED;
            String op = hold == null ? operations.get(random.nextInt(operations.size())) : hold.operationType;
            event = status + " usage of " + requestId + " (" + tokens + " tokens, hold " + (hold == null ? "none" : hold.amount + " " + hold.state) + ")";
            driver.usage(UsageEvent.newBuilder().setId("use-" + seed + "-" + step).setRequestId(requestId).setUserId(user)
                    .setModel("gpt-4o-mini").setOperationType(op).setStatus(status).setTokensInput(in).setTokensOutput(tokens - in)
                    .setCostUsdNanos(status == UsageStatus.FAILED ? 0 : (long) random.nextInt(COST_NANOS_MAX))
                    .setCreatedAt(driver.eventTime()).build());
        }

        private void record(LedgerEntry e) {
            String k = e.getUserId() + "|" + e.getPool();
            poolsByUser.computeIfAbsent(e.getUserId(), u -> new HashSet<>()).add(e.getPool());
            ledgerSums.merge(k, e.getDelta(), Long::sum);
            seen.add(e.getKind().name());
            if (e.getNote() != null && e.getNote().contains("above the limit")) {
                seen.add("refund capped");
            }
            switch (e.getKind()) {
                case ALLOWANCE_OPENED, PERIOD_RESET, USER_RESET -> adjustedUp.put(k, 0L);
                case ADJUSTMENT -> {
                    if (e.getDelta() > 0) {
                        adjustedUp.merge(k, e.getDelta(), Long::sum);
                    }
                }
                case HOLD_PLACED -> {
                    assertThat(e.getBalanceAfter()).as("approval beyond the balance: %s", e).isGreaterThanOrEqualTo(0);
                    assertThat(open.add(e.getCauseId())).as("request %s held while its hold is open", e.getCauseId()).isTrue();
                    assertThat(charged).as("request %s held again after it was charged", e.getCauseId())
                            .doesNotContainKey(e.getCauseId());
                }
                case HOLD_RELEASED, HOLD_EXPIRED -> open.remove(e.getCauseId());
                case HOLD_SETTLED -> {
                    open.remove(e.getCauseId());
                    countCharge(e);
                }
                case OVERAGE_CHARGED -> {
                    if (e.getNote() != null && e.getNote().startsWith("usage arrived after the hold expired")) {
                        seen.add("late charge");
                        countCharge(e);
                    }
                    if (e.getNote() != null && e.getNote().contains("beyond the available balance")) {
                        overdrawn.add(k);
                    }
                }
                default -> {
                }
            }
        }

        private void countCharge(LedgerEntry e) {
            assertThat(charged.merge(e.getCauseId(), 1, Integer::sum)).as("request %s charged twice", e.getCauseId()).isEqualTo(1);
        }

        private void check(MeteringDriver driver, Set<String> users) {
            for (String user : users) {
                Account a = driver.account(user);
                if (a == null) {
                    assertThat(poolsByUser.get(user)).as("ledger of %s without an account", user).isNull();
                    continue;
                }
                Map<String, Long> held = new HashMap<>();
                long tokensHeld = 0;
                long costHeld = 0;
                for (String id : requestIds.getOrDefault(user, List.of())) {
                    Hold h = driver.holds().get(id);
                    if (h != null && h.state == Hold.State.OPEN) {
                        assertThat(h.userId).isEqualTo(user);
                        held.merge(h.pool, h.amount, Long::sum);
                        tokensHeld += h.estimatedTokens;
                        costHeld += h.costHeldNanos;
                    }
                }
                assertThat(a.tokensHeld).as("token estimate held by %s", user).isEqualTo(tokensHeld);
                assertThat(a.costHeldNanos).as("USD estimate held by %s", user).isEqualTo(costHeld);
                assertThat(a.pools.keySet()).as("pools of %s", user).containsAll(poolsByUser.getOrDefault(user, Set.of()));
                for (var entry : a.pools.entrySet()) {
                    String k = user + "|" + entry.getKey();
                    Account.Pool p = entry.getValue();
                    assertThat(ledgerSums.getOrDefault(k, 0L)).as("ledger sum of %s", k).isEqualTo(p.balance());
                    assertThat(p.held).as("held of %s", k).isEqualTo(held.getOrDefault(entry.getKey(), 0L));
                    assertThat(p.used).as("used of %s", k).isGreaterThanOrEqualTo(0);
                    assertThat(p.allowance).as("allowance of %s above its limit %d plus credit adjustments %d", k, p.limit,
                            adjustedUp.getOrDefault(k, 0L)).isLessThanOrEqualTo(p.limit + adjustedUp.getOrDefault(k, 0L));
                    if (p.balance() < 0) {
                        assertThat(overdrawn).as("%s below zero (%d) without recorded overage", k, p.balance()).contains(k);
                    }
                }
            }
        }

        private Set<String> allUsers(MeteringDriver driver) {
            Set<String> users = new LinkedHashSet<>(poolsByUser.keySet());
            try (var it = driver.balances().all()) {
                it.forEachRemaining(kv -> users.add(kv.key));
            }
            return users;
        }

        private long openHolds(MeteringDriver driver) {
            long open = 0;
            try (var it = driver.holds().all()) {
                while (it.hasNext()) {
                    if (it.next().value.state == Hold.State.OPEN) {
                        open++;
                    }
                }
            }
            return open;
        }

        private String pick(String[] values) {
            return values[random.nextInt(values.length)];
        }
    }
}

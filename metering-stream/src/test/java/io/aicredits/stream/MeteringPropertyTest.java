package io.aicredits.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.events.CreditDecision;
import io.aicredits.events.GrantType;
import io.aicredits.events.LedgerEntry;
import io.aicredits.events.LedgerKind;
import io.aicredits.events.UsageStatus;
import io.aicredits.stream.credits.Account;
import io.aicredits.stream.holds.Hold;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random per-user sequences of requests, usage (settled, failed, repeated, unknown,
 * late), grants, adjustments, plan changes, user resets, period openings and hold expiries, checked
 * against the money invariants after every batch.
 */
class MeteringPropertyTest {

    private static final String[] OPERATIONS = {"text_generation", "image_generation", "ai_card", "upscale", "ai_coach"};
    private static final String[] POOLS = {MeteringSettings.AI_CREDITS, MeteringSettings.GENERATION_CREDITS, MeteringSettings.AI_TOKENS};
    private static final int SEEDS = 10;
    private static final int USERS = 200;
    private static final int STEPS = 3_000;

    @Test
    void shouldKeepLedgerEqualToBalanceAndNeverSpendCreditsThatAreNotThere() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            runSequence(seed);
        }
    }

    private void runSequence(long seed) {
        Random random = new Random(seed);
        try (MeteringDriver driver = new MeteringDriver(MeteringSettings.defaults(), true)) {
            Instant now = MeteringDriver.JAN_15;
            Map<String, List<String>> requestsByUser = new HashMap<>();
            List<CreditDecision> approved = new ArrayList<>();
            int requestSeq = 0;
            for (int step = 0; step < STEPS; step++) {
                if (step == STEPS / 2) {
                    // Mid-run, holds are still open: held must match them exactly.
                    assertInvariants(seed, driver, approved, false);
                }
                String user = "s" + seed + "-u" + random.nextInt(USERS);
                List<String> mine = requestsByUser.computeIfAbsent(user, u -> new ArrayList<>());
                now = now.plusSeconds(random.nextInt(30));
                driver.at(now);
                int dice = random.nextInt(100);
                if (dice < 40) {
                    String requestId = !mine.isEmpty() && random.nextInt(10) == 0
                            ? mine.get(random.nextInt(mine.size())) : "s" + seed + "-r" + (++requestSeq);
                    String op = OPERATIONS[random.nextInt(OPERATIONS.length)];
                    CreditDecision d = op.startsWith("ai_")
                            ? driver.requestTokens(user, requestId, op, random.nextInt(20_000))
                            : driver.request(user, requestId, op);
                    if (d.getApproved() && !d.getDuplicate()) {
                        approved.add(d);
                    }
                    if (!mine.contains(requestId)) {
                        mine.add(requestId);
                    }
                } else if (dice < 72) {
                    String requestId = mine.isEmpty() || random.nextInt(20) == 0 ? "unknown-" + step : mine.get(random.nextInt(mine.size()));
                    UsageStatus status = random.nextInt(5) == 0 ? UsageStatus.FAILED : UsageStatus.SUCCEEDED;
                    driver.usage(user, requestId, OPERATIONS[random.nextInt(OPERATIONS.length)], status,
                            random.nextInt(15_000), random.nextInt(15_000), "use-" + step);
                } else if (dice < 78) {
                    GrantType type = random.nextBoolean() ? GrantType.TOP_UP : GrantType.BONUS;
                    Instant expires = random.nextBoolean() ? null : now.plus(Duration.ofHours(1 + random.nextInt(500)));
                    driver.grant(user, POOLS[random.nextInt(POOLS.length)], 1 + random.nextInt(50), type, expires);
                } else if (dice < 84) {
                    driver.adjust(user, POOLS[random.nextInt(POOLS.length)], random.nextInt(61) - 40);
                } else if (dice < 87) {
                    driver.setPlan(user, new String[] {"FREE", "PRO", "TEAM"}[random.nextInt(3)]);
                } else if (dice < 89) {
                    driver.resetUser(user);
                } else if (dice < 90) {
                    YearMonth next = YearMonth.from(now.atZone(ZoneOffset.UTC)).plusMonths(1);
                    Instant start = next.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
                    now = start.plusSeconds(random.nextInt(3_600));
                    driver.at(now).periodOpened(next.toString(), start);
                } else {
                    driver.advanceWallClock(Duration.ofSeconds(random.nextInt(400)));
                }
            }
            driver.advanceWallClock(Duration.ofMinutes(11));
            assertInvariants(seed, driver, approved, true);
        }
    }

    private static void assertInvariants(long seed, MeteringDriver driver, List<CreditDecision> approved, boolean afterTimeout) {
        List<LedgerEntry> ledger = driver.ledger();
        Map<String, Long> sums = driver.ledgerSums();
        Map<String, Long> placed = new HashMap<>();
        Map<String, Long> inflows = new HashMap<>();
        Map<String, Boolean> overage = new HashMap<>();
        for (LedgerEntry e : ledger) {
            String k = e.getUserId() + "|" + e.getPool();
            if (e.getKind() == LedgerKind.HOLD_PLACED) {
                placed.merge(k, -e.getDelta(), Long::sum);
            } else if (e.getDelta() > 0) {
                inflows.merge(k, e.getDelta(), Long::sum);
            }
            if (e.getKind() == LedgerKind.OVERAGE_CHARGED) {
                overage.put(k, true);
            }
        }
        Map<String, Long> heldByHolds = new HashMap<>();
        try (var it = driver.holds().all()) {
            while (it.hasNext()) {
                Hold h = it.next().value;
                if (h.state == Hold.State.OPEN) {
                    heldByHolds.merge(h.userId + "|" + h.pool, h.amount, Long::sum);
                }
            }
        }
        int accounts = 0;
        try (var it = driver.balances().all()) {
            while (it.hasNext()) {
                KeyValue<String, Account> kv = it.next();
                accounts++;
                for (var pool : kv.value.pools.entrySet()) {
                    String k = kv.key + "|" + pool.getKey();
                    long balance = pool.getValue().balance();
                    assertThat(sums.getOrDefault(k, 0L)).as("seed %d: ledger sum of %s", seed, k).isEqualTo(balance);
                    if (balance < 0) {
                        assertThat(overage).as("seed %d: %s is below zero (%d) without recorded overage", seed, k, balance)
                                .containsKey(k);
                    }
                    assertThat(pool.getValue().held).as("seed %d: held of %s", seed, k).isEqualTo(heldByHolds.getOrDefault(k, 0L));
                    assertThat(placed.getOrDefault(k, 0L)).as("seed %d: approved credits of %s exceed credits available", seed, k)
                            .isLessThanOrEqualTo(inflows.getOrDefault(k, 0L));
                }
            }
        }
        assertThat(accounts).isGreaterThan(USERS / 2);
        assertThat(approved).allSatisfy(d -> assertThat(d.getBalance()).as("balance after approving %s", d.getRequestId())
                .isGreaterThanOrEqualTo(0));
        if (afterTimeout) {
            assertThat(heldByHolds).as("all holds expired after the timeout").isEmpty();
        }
    }
}

package io.aicredits.stream.limits;

import io.aicredits.schemas.Topics;
import java.math.BigDecimal;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code metering.limits.*}: configured defaults of the per-user limits; {@code ai.settings}
 * overrides them at runtime.
 */
@ConfigurationProperties("metering.limits")
public class LimitProperties {

    /** Tokens (input + output) each user may use per monthly period; 0 = no limit. */
    private long userTokensPerPeriod;
    /** USD each user may spend per monthly period; 0 = no budget. */
    private BigDecimal userMonthlyBudgetUsd = BigDecimal.ZERO;
    /** The compacted settings topic. */
    private String settingsTopic = Topics.AI_SETTINGS.name();

    public LimitDefaults toDefaults() {
        return new LimitDefaults(userTokensPerPeriod, userMonthlyBudgetUsd, settingsTopic);
    }

    public long getUserTokensPerPeriod() {
        return userTokensPerPeriod;
    }

    public void setUserTokensPerPeriod(long userTokensPerPeriod) {
        this.userTokensPerPeriod = userTokensPerPeriod;
    }

    public BigDecimal getUserMonthlyBudgetUsd() {
        return userMonthlyBudgetUsd;
    }

    public void setUserMonthlyBudgetUsd(BigDecimal userMonthlyBudgetUsd) {
        this.userMonthlyBudgetUsd = userMonthlyBudgetUsd;
    }

    public String getSettingsTopic() {
        return settingsTopic;
    }

    public void setSettingsTopic(String settingsTopic) {
        this.settingsTopic = settingsTopic;
    }
}

package io.aicredits.stream;

import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code metering.*} from application.yml / environment. Anything not set keeps the value of
 * {@link MeteringSettings#defaults()}; a catalog or plan entry given here replaces the default
 * entry of the same name.
 */
@ConfigurationProperties(prefix = "metering")
public class MeteringProperties {

    private String applicationId = MeteringStreamsConfig.DEFAULT_APPLICATION_ID;
    private String stateDir = System.getProperty("java.io.tmpdir") + "/metering-stream";
    /** host:port other instances use to reach this one's queries ({@code application.server}); empty for a single instance. */
    private String applicationServer = "";
    private int standbyReplicas = 0;
    private Duration holdTimeout;
    private Duration dedupWindow;
    private ZoneId zone;
    private Duration punctuateInterval;
    /** How far ahead of the wall clock a record may be stamped before it is dead-lettered (default 5 min). */
    private Duration maxClockSkew;
    private String defaultPlan;
    private Map<String, PriceProperties> catalog = new LinkedHashMap<>();
    private Map<String, Map<String, Long>> plans = new LinkedHashMap<>();
    /** Topic names; unset ones keep the names of {@code io.aicredits.schemas.Topics}. */
    private Map<String, String> topics = new LinkedHashMap<>();
    /** Extra Kafka Streams properties, passed as they are. */
    private Map<String, String> streams = new LinkedHashMap<>();

    public MeteringSettings toSettings() {
        MeteringSettings d = MeteringSettings.defaults();
        Map<String, MeteringSettings.Price> mergedCatalog = new LinkedHashMap<>(d.catalog());
        catalog.forEach((op, p) -> mergedCatalog.put(op, new MeteringSettings.Price(p.getPool(), p.getCredits(),
                p.getTokensPerCredit(), p.getModel())));
        Map<String, Map<String, Long>> mergedPlans = new LinkedHashMap<>(d.plans());
        mergedPlans.putAll(plans);
        return new MeteringSettings(mergedCatalog, mergedPlans,
                defaultPlan == null ? d.defaultPlan() : defaultPlan,
                holdTimeout == null ? d.holdTimeout() : holdTimeout,
                dedupWindow == null ? d.dedupWindow() : dedupWindow,
                zone == null ? d.zone() : zone,
                punctuateInterval == null ? d.punctuateInterval() : punctuateInterval,
                topicNames(d.topics()),
                maxClockSkew == null ? d.maxClockSkew() : maxClockSkew);
    }

    private MeteringSettings.TopicNames topicNames(MeteringSettings.TopicNames d) {
        return new MeteringSettings.TopicNames(
                topics.getOrDefault("requests", d.requests()),
                topics.getOrDefault("decisions", d.decisions()),
                topics.getOrDefault("usage", d.usage()),
                topics.getOrDefault("commands", d.commands()),
                topics.getOrDefault("ledger", d.ledger()),
                topics.getOrDefault("prices", d.prices()),
                topics.getOrDefault("dead-letters", d.deadLetters()));
    }

    public String getApplicationId() { return applicationId; }
    public void setApplicationId(String applicationId) { this.applicationId = applicationId; }
    public String getStateDir() { return stateDir; }
    public void setStateDir(String stateDir) { this.stateDir = stateDir; }
    public String getApplicationServer() { return applicationServer; }
    public void setApplicationServer(String applicationServer) { this.applicationServer = applicationServer; }
    public int getStandbyReplicas() { return standbyReplicas; }
    public void setStandbyReplicas(int standbyReplicas) { this.standbyReplicas = standbyReplicas; }
    public Duration getHoldTimeout() { return holdTimeout; }
    public void setHoldTimeout(Duration holdTimeout) { this.holdTimeout = holdTimeout; }
    public Duration getDedupWindow() { return dedupWindow; }
    public void setDedupWindow(Duration dedupWindow) { this.dedupWindow = dedupWindow; }
    public ZoneId getZone() { return zone; }
    public void setZone(ZoneId zone) { this.zone = zone; }
    public Duration getPunctuateInterval() { return punctuateInterval; }
    public void setPunctuateInterval(Duration punctuateInterval) { this.punctuateInterval = punctuateInterval; }
    public Duration getMaxClockSkew() { return maxClockSkew; }
    public void setMaxClockSkew(Duration maxClockSkew) { this.maxClockSkew = maxClockSkew; }
    public String getDefaultPlan() { return defaultPlan; }
    public void setDefaultPlan(String defaultPlan) { this.defaultPlan = defaultPlan; }
    public Map<String, PriceProperties> getCatalog() { return catalog; }
    public void setCatalog(Map<String, PriceProperties> catalog) { this.catalog = catalog; }
    public Map<String, Map<String, Long>> getPlans() { return plans; }
    public void setPlans(Map<String, Map<String, Long>> plans) { this.plans = plans; }
    public Map<String, String> getTopics() { return topics; }
    public void setTopics(Map<String, String> topics) { this.topics = topics; }
    public Map<String, String> getStreams() { return streams; }
    public void setStreams(Map<String, String> streams) { this.streams = streams; }

    /** One catalog entry. */
    public static class PriceProperties {
        private String pool;
        private long credits;
        private Long tokensPerCredit;
        private String model;

        public String getPool() { return pool; }
        public void setPool(String pool) { this.pool = pool; }
        public long getCredits() { return credits; }
        public void setCredits(long credits) { this.credits = credits; }
        public Long getTokensPerCredit() { return tokensPerCredit; }
        public void setTokensPerCredit(Long tokensPerCredit) { this.tokensPerCredit = tokensPerCredit; }
        public String getModel() { return model; }
        public void setModel(String model) { this.model = model; }
    }
}

package io.aicredits.alerts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Values of the alerts stores: what was spent and which thresholds already fired, per period. */
public final class AlertState {

    private AlertState() {
    }

    /** One user (store {@link AlertsTopology#USER_STORE}, key user id). */
    public static final class User {
        public String month;
        public long costNanos;
        public List<Integer> budgetFired = new ArrayList<>();
        public Map<String, Pool> pools = new TreeMap<>();
    }

    /** One credit pool of a user. */
    public static final class Pool {
        public String month;
        /** The period's credits: opening balance plus grants. */
        public long credits;
        public boolean lowFired;
    }

    /** The platform (store {@link AlertsTopology#PLATFORM_STORE}, key {@code platform}). */
    public static final class Platform {
        public String month;
        public long monthNanos;
        public List<Integer> monthFired = new ArrayList<>();
        public String day;
        public long dayNanos;
        public List<Integer> dayFired = new ArrayList<>();
    }
}

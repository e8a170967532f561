package io.aicredits.infra;

/** Closing several resources in order, as tests' {@code @AfterAll} methods do. */
public final class Closeables {

    /**
     * Closes every non-null resource in the given order, even when an earlier one fails; the first
     * failure is rethrown with the later ones attached as suppressed exceptions.
     */
    public static void closeAll(AutoCloseable... resources) {
        RuntimeException failure = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof RuntimeException runtime ? runtime : new IllegalStateException("Cannot close " + resource, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private Closeables() {
    }
}

package org.dicomweb.gateway.core.db;

/** How a database failure is named in a reason. */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    /**
     * The innermost cause, on one line: a reason goes into a Warning header or a JSON field, and drivers' messages
     * may run over several lines.
     */
    public static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + String.valueOf(root.getMessage()).lines().findFirst().orElse("");
    }
}

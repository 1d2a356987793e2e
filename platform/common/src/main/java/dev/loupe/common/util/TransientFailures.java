package dev.loupe.common.util;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Tells a failure that will pass by itself (the database restarting, unreachable, out of connections, a
 * serialization conflict) from one that is in the event. The first is retried until it passes; only the second
 * may send an event to the dead-letter topic; a request that meets the first is answered 503 with Retry-After.
 */
public final class TransientFailures {

    /** SQLSTATE classes and codes that say "try again": connection, resources, operator intervention, conflicts. */
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "53", "57");
    private static final Set<String> TRANSIENT_STATES = Set.of("40001", "40P01", "55P03");

    private TransientFailures() {
    }

    /**
     * True when the failure, one of its causes or an exception suppressed along the way says the database is
     * unreachable or busy for now. The suppressed ones count: a commit that meets the database going down fails with
     * the transaction manager's RollbackException, which carries the driver's error only as a suppressed one.
     */
    public static boolean isTransient(Throwable failure) {
        Deque<Throwable> todo = new ArrayDeque<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        if (failure != null) {
            todo.push(failure);
        }
        while (!todo.isEmpty()) {
            Throwable t = todo.pop();
            if (!seen.add(t)) {
                continue;
            }
            if (saysTransient(t)) {
                return true;
            }
            if (t.getCause() != null) {
                todo.push(t.getCause());
            }
            for (Throwable suppressed : t.getSuppressed()) {
                todo.push(suppressed);
            }
        }
        return false;
    }

    private static boolean saysTransient(Throwable t) {
        if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
            return true;
        }
        if (t instanceof SQLException sql) {
            String state = sql.getSQLState();
            if (state != null && (TRANSIENT_STATES.contains(state)
                    || (state.length() >= 2 && TRANSIENT_CLASSES.contains(state.substring(0, 2))))) {
                return true;
            }
            String message = String.valueOf(sql.getMessage());
            if (message.contains("Acquisition timeout") || message.contains("connection has been closed")) {
                return true; // Agroal's pool: no connection to be had while the database is down
            }
        }
        return t.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException");
    }
}

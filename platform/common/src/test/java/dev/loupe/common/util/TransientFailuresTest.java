package dev.loupe.common.util;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which failures the Inbox waits out (never dead-lettering for them) and which are the event's. */
class TransientFailuresTest {

    @Test
    void anUnreachableOrRestartingDatabaseIsTransientHoweverDeeplyWrapped() {
        assertTrue(TransientFailures.isTransient(new RuntimeException(new SQLException("refused", "08001"))));
        assertTrue(TransientFailures.isTransient(new IllegalStateException("tx",
                new RuntimeException(new SQLException("terminating connection due to administrator command", "57P01")))));
        assertTrue(TransientFailures.isTransient(new SQLException("too many connections", "53300")));
        assertTrue(TransientFailures.isTransient(new SQLException("could not serialize access", "40001")));
        assertTrue(TransientFailures.isTransient(new SQLTransientConnectionException("pool")));
        assertTrue(TransientFailures.isTransient(new SQLException("Acquisition timeout while waiting for new connection")));
    }

    @Test
    void aCommitThatMetTheDatabaseGoingDownIsTransientThoughTheDriversErrorIsOnlySuppressed() {
        // what Narayana throws when the postmaster dies during a commit (SoakIT met it): the driver's error is a
        // suppressed XAException's cause, not in the RollbackException's cause chain
        Exception xa = new Exception("Error trying to transactionCommit local transaction",
                new SQLException("FATAL: terminating connection due to unexpected postmaster exit", "57P02"));
        RuntimeException rollback = new RuntimeException("ARJUNA016053: Could not commit transaction.");
        rollback.addSuppressed(xa);
        assertTrue(TransientFailures.isTransient(new IllegalStateException("Error invoking subclass method", rollback)));

        RuntimeException cycle = new RuntimeException("a bug");
        cycle.addSuppressed(new RuntimeException("another", cycle));
        assertFalse(TransientFailures.isTransient(cycle), "a failure suppressing itself ends the walk");
    }

    @Test
    void aBrokenEventOrABugIsNot() {
        assertFalse(TransientFailures.isTransient(new IllegalArgumentException("unknown label 'xi'")));
        assertFalse(TransientFailures.isTransient(new SQLException("null value in column \"label\"", "23502")));
        assertFalse(TransientFailures.isTransient(new SQLException("value too long", "22001")));
        assertFalse(TransientFailures.isTransient(new NullPointerException()));
    }
}

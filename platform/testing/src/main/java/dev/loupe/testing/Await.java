package dev.loupe.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for something the services do asynchronously (an event consumed, a split refreshed), or fails naming it. */
public final class Await {

    private static final Duration POLL = Duration.ofMillis(250);

    private Await() {
    }

    /** Polls {@code condition} until it holds; an AssertionError saying {@code what} did not happen after {@code timeout}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting: " + what, e);
            }
        }
    }
}

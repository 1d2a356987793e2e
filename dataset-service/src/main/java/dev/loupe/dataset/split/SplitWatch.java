package dev.loupe.dataset.split;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Lets requests wait for a refresh: the refresher signals after each commit, waiters re-check their condition. */
@ApplicationScoped
public class SplitWatch {

    private final Object monitor = new Object();
    private long generation;

    public void refreshed() {
        synchronized (monitor) {
            generation++;
            monitor.notifyAll();
        }
    }

    /** Waits until {@code condition} holds or {@code timeout} passed; returns the condition's last value. */
    public boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long seen;
            synchronized (monitor) {
                seen = generation;
            }
            if (condition.getAsBoolean()) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            synchronized (monitor) {
                if (generation == seen) {
                    // re-check at least every 250 ms: a refresh made by another instance signals nobody here
                    monitor.wait(Math.max(1, Math.min(250, left / 1_000_000)));
                }
            }
        }
    }
}

package dev.loupe.dataset.curation;

import dev.loupe.dataset.config.CurationConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.UUID;

/**
 * Who applies a plan: a plan being applied carries the replica applying it ({@code host:port}, the same after a
 * restart of that replica, different for every other one) and a lease that replica renews while it applies. A plan
 * whose replica is gone is failed when its lease has expired, by whichever replica looks next; a replica that starts
 * fails the plans it held itself at once (it was stopped while applying them). No plan is applied by two replicas, and
 * no replica fails a plan another one is still applying.
 */
@ApplicationScoped
public class PlanLeases {

    static final String GONE = "the dataset service replica applying this plan stopped before it finished; the "
            + "progress shows the actions that were done (they stay done); make a new plan to continue";

    private final Duration lease;
    private final String replica;

    public PlanLeases(CurationConfig config, @ConfigProperty(name = "quarkus.http.port", defaultValue = "8084") int port) {
        this.lease = config.applyLease();
        this.replica = host() + ":" + port;
    }

    private static String host() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** This replica's name in {@code lease_owner}. */
    public String replica() {
        return replica;
    }

    public Duration lease() {
        return lease;
    }

    /** The end of a lease taken or renewed now. */
    Instant until(Instant now) {
        return now.plus(lease);
    }

    /** Renews the leases of the plans this replica applies; the number renewed. */
    int renew(Collection<UUID> planIds) {
        if (planIds.isEmpty()) {
            return 0;
        }
        return QuarkusTransaction.requiringNew().call(() -> CurationPlan.update(
                "leaseUntil = ?1 where planId in ?2 and leaseOwner = ?3 and status = ?4", until(Instant.now()),
                planIds, replica, CurationPlan.Status.APPLYING));
    }

    /** Fails the plans being applied whose lease has expired, or (at start) that this replica held; the number failed. */
    int failAbandoned(boolean starting) {
        Instant now = Instant.now();
        String which = "status = ?4 and (leaseUntil is null or leaseUntil < ?3" + (starting ? " or leaseOwner = ?5)" : ")");
        Object[] params = starting
                ? new Object[] {CurationPlan.Status.FAILED, GONE, now, CurationPlan.Status.APPLYING, replica}
                : new Object[] {CurationPlan.Status.FAILED, GONE, now, CurationPlan.Status.APPLYING};
        return QuarkusTransaction.requiringNew().call(() -> CurationPlan.update(
                "status = ?1, error = ?2, updatedAt = ?3 where " + which, params));
    }
}

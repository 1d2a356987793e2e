package dev.loupe.dataset.curation;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Plans being applied on several replicas: a replica fails only the plans whose replica is gone (lease expired) or, as
 * it starts, the ones it held itself; a plan another live replica holds stays APPLYING; the holder's renewal keeps it.
 * Against the real database, with the lease keeper running (lease 20 s in tests, a round every 5 s).
 */
@QuarkusTest
class PlanLeaseTest {

    @Inject
    PlanLeases leases;

    @Test
    void onlyPlansWhoseReplicaIsGoneAreFailed() throws Exception {
        Instant now = Instant.now();
        UUID gone = plan("gone-host:8084", now.minusSeconds(1));
        UUID other = plan("other-host:8084", now.plusSeconds(60));
        UUID mine = plan(leases.replica(), now.plusSeconds(60));
        UUID legacy = plan(null, null); // set APPLYING before leases existed

        // the keeper, on its own: the expired and the lease-less plans fail within a round or two
        Instant deadline = Instant.now().plusSeconds(30);
        while (!(status(gone).equals("FAILED") && status(legacy).equals("FAILED")) && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertEquals("FAILED", status(gone));
        assertEquals("FAILED", status(legacy));
        assertTrue(error(gone).contains("replica applying this plan stopped"), error(gone));
        // another replica's live lease and this replica's own are left alone
        assertEquals("APPLYING", status(other));
        assertEquals("APPLYING", status(mine));

        // renewing moves this replica's leases only
        Instant before = leaseUntil(mine);
        assertEquals(1, leases.renew(List.of(mine, other)));
        assertTrue(leaseUntil(mine).isAfter(Instant.now().plus(leases.lease()).minusSeconds(5)), "renewed: " + leaseUntil(mine));
        assertNotEquals(before, leaseUntil(mine));
        assertEquals(now.plusSeconds(60).getEpochSecond(), leaseUntil(other).getEpochSecond(), "not this replica's");

        // a replica that starts again fails the plans it held (it was stopped while applying them), not the others'
        assertEquals(0, leases.failAbandoned(false));
        assertEquals(1, leases.failAbandoned(true));
        assertEquals("FAILED", status(mine));
        assertEquals("APPLYING", status(other));
        QuarkusTransaction.requiringNew().run(() -> CurationPlan.delete("planId in ?1", List.of(gone, other, mine, legacy)));
    }

    private static UUID plan(String owner, Instant until) {
        UUID id = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> CurationPlan.getEntityManager().createNativeQuery("""
                        INSERT INTO curation_plan (plan_id, project_id, number, budget, min_confidence, items_now,
                            items_after, inputs, actions, status, created_by, created_at, updated_at, lease_owner, lease_until)
                        VALUES (?1, ?2, 1, 100, 0.9, 10, 10, '{}', '[]', 'APPLYING', 'test', now(), now(), ?3, ?4)""")
                .setParameter(1, id).setParameter(2, UUID.randomUUID()).setParameter(3, owner).setParameter(4, until)
                .executeUpdate());
        return id;
    }

    private static CurationPlan load(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> CurationPlan.<CurationPlan>findById(id));
    }

    private static String status(UUID id) {
        return load(id).status.name();
    }

    private static String error(UUID id) {
        return load(id).error;
    }

    private static Instant leaseUntil(UUID id) {
        return load(id).leaseUntil;
    }
}

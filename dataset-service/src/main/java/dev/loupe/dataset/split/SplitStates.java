package dev.loupe.dataset.split;

import dev.loupe.dataset.config.DatasetConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.UUID;

/** Finds and locks a project's split state, creating it with the default configuration on first use. */
@ApplicationScoped
public class SplitStates {

    private final EntityManager em;
    private final DatasetConfig config;

    public SplitStates(EntityManager em, DatasetConfig config) {
        this.em = em;
        this.config = config;
    }

    /**
     * The state, locked for this transaction (changes and refreshes of one project are serialised by this lock, so a
     * refresh never misses a change that committed before it and never claims one that committed after).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public SplitState lockOrCreate(UUID projectId, Instant now) {
        SplitState state = em.find(SplitState.class, projectId, LockModeType.PESSIMISTIC_WRITE);
        if (state != null) {
            return state;
        }
        // concurrent creators: the loser's insert does nothing and it then locks the winner's row
        em.createNativeQuery("""
                        INSERT INTO split_state (project_id, strategy, val_fraction, seed, max_items, config_version, updated_at)
                        VALUES (?1, ?2, ?3, ?4, NULL, 1, ?5) ON CONFLICT (project_id) DO NOTHING""")
                .setParameter(1, projectId).setParameter(2, config.defaultStrategy()).setParameter(3, config.defaultValFraction())
                .setParameter(4, config.defaultSeed()).setParameter(5, now).executeUpdate();
        return em.find(SplitState.class, projectId, LockModeType.PESSIMISTIC_WRITE);
    }
}

package dev.loupe.dataset.split;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A project's split configuration and how far its split is refreshed. */
@Entity
@Table(name = "split_state")
public class SplitState extends PanacheEntityBase {

    @Id
    @Column(name = "project_id")
    public UUID projectId;

    public String strategy;

    @Column(name = "val_fraction")
    public double valFraction;

    public long seed;

    @Column(name = "max_items")
    public Integer maxItems;

    /** The version whose val items make up the validation side, or null (the strategy chooses it). */
    @Column(name = "frozen_val_version")
    public UUID frozenValVersion;

    @Column(name = "config_version")
    public long configVersion;

    @Column(name = "config_applied")
    public long configApplied;

    /** Bumped by every applied change; the split is current when {@link #changesRefreshed} caught up. */
    public long changes;

    @Column(name = "changes_refreshed")
    public long changesRefreshed;

    @Column(name = "first_change_at")
    public Instant firstChangeAt;

    @Column(name = "last_change_at")
    public Instant lastChangeAt;

    @Column(name = "styles_stale")
    public boolean stylesStale;

    @Column(name = "labels_seen")
    public long labelsSeen;

    @Column(name = "split_labels_seen")
    public long splitLabelsSeen;

    @Column(name = "split_version")
    public long splitVersion;

    /** JSON {train:{class:n}, val:{...}}. */
    public String counts;

    @Column(name = "left_out")
    public int leftOut;

    /** JSON {reason: items} of the items left out of the current split. */
    @Column(name = "left_out_reasons")
    public String leftOutReasons;

    @Column(name = "generated_at")
    public Instant generatedAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** Records a change that the next refresh must include. */
    public void changed(Instant now) {
        changes++;
        if (firstChangeAt == null) {
            firstChangeAt = now;
        }
        lastChangeAt = now;
        updatedAt = now;
    }
}

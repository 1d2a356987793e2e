package dev.loupe.label.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One entry of an item's history: what changed, to which version, by whom, when and why. */
@Entity
@Table(name = "item_change")
public class ItemChange extends PanacheEntityBase {

    public enum Action { ADDED, RELABELED, EXCLUDED, RESTORED }

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "item_change_seq")
    @SequenceGenerator(name = "item_change_seq", sequenceName = "item_change_seq", allocationSize = 50)
    public Long id;

    @Column(name = "item_id", nullable = false)
    public UUID itemId;

    @Column(nullable = false)
    public long version;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Action action;

    @Column(name = "from_label")
    public String fromLabel;

    @Column(name = "to_label")
    public String toLabel;

    public String reason;

    @Column(nullable = false)
    public String actor;

    @Column(nullable = false)
    public Instant at;

    public static ItemChange of(Item item, Action action, String fromLabel, String reason, String actor, Instant at) {
        ItemChange change = new ItemChange();
        change.itemId = item.id;
        change.version = item.version;
        change.action = action;
        change.fromLabel = fromLabel;
        change.toLabel = item.label;
        change.reason = reason;
        change.actor = actor;
        change.at = at;
        return change;
    }
}

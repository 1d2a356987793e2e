package dev.loupe.dataset.split;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.events.SplitRefreshed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Recomputes one project's split from the database (items, styles, the previous sides), never from memory, so a
 * restart changes nothing: plans it, writes the sides that changed, advances the state and announces it.
 */
@ApplicationScoped
public class SplitUpdater {

    private static final Logger LOG = Logger.getLogger(SplitUpdater.class);

    private final SplitStore store;
    private final SplitPublisher publisher;
    private final ObjectMapper json;

    public SplitUpdater(SplitStore store, SplitPublisher publisher, ObjectMapper json) {
        this.store = store;
        this.publisher = publisher;
        this.json = json;
    }

    /** Recomputes the split of a project whose state the caller holds locked; publishes SplitRefreshed. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void update(SplitState state) {
        UUID project = state.projectId;
        Instant now = Instant.now();
        SplitPlanner.Config splitConfig = new SplitPlanner.Config(SplitPlanner.Strategy.fromWire(state.strategy).orElseThrow(),
                state.valFraction, state.seed, state.maxItems,
                state.frozenValVersion == null ? null : store.valItems(state.frozenValVersion));

        List<SplitStore.ItemRow> rows = store.items(project);
        List<SplitPlanner.Item> items = new ArrayList<>(rows.size());
        Map<UUID, SplitStore.ItemRow> byId = new HashMap<>();
        Map<UUID, String> labels = new HashMap<>();
        for (SplitStore.ItemRow r : rows) {
            items.add(new SplitPlanner.Item(r.itemId(), r.label(), r.sha256(), r.originalSplit(), r.cluster(),
                    parents(r.itemId(), r.provenance())));
            byId.put(r.itemId(), r);
            labels.put(r.itemId(), r.label());
        }
        List<UUID[]> nearDuplicates = store.nearDuplicates(project).stream().map(NearDuplicate::toArray).toList();
        Map<UUID, SplitStore.Assignment> before = store.assignments(project);
        Map<UUID, SplitPlanner.Side> previous = new HashMap<>();
        before.forEach((id, a) -> previous.put(id, SplitPlanner.Side.valueOf(a.side().toUpperCase())));
        // A new configuration (strategy, fraction, seed, cap) starts from scratch; otherwise stay close to before.
        boolean fresh = state.configApplied != state.configVersion;
        SplitPlanner.Plan plan = SplitPlanner.plan(items, nearDuplicates, splitConfig, fresh ? Map.of() : previous);

        List<UUID> removed = previous.keySet().stream().filter(id -> !plan.sides().containsKey(id)).toList();
        List<SplitStore.Assignment> changed = new ArrayList<>();
        plan.sides().forEach((id, side) -> {
            SplitStore.ItemRow item = byId.get(id);
            SplitStore.Assignment after = new SplitStore.Assignment(id, side.wire(), item.label(), item.cluster(), item.version(),
                    plan.reasons().get(id));
            if (!after.equals(before.get(id))) {
                changed.add(after);
            }
        });
        store.writeAssignments(project, removed, changed);

        // removed (excluded) items also count as moved: they left the split
        List<UUID> moved = new ArrayList<>(plan.moved());
        moved.addAll(removed);
        moved.sort(null);
        Map<String, Map<String, Integer>> counts = plan.counts(labels);
        state.splitVersion++;
        state.counts = write(counts);
        state.leftOut = (int) plan.sides().values().stream().filter(s -> s == SplitPlanner.Side.OUT).count();
        state.leftOutReasons = write(plan.leftOut());
        state.changesRefreshed = state.changes;
        state.configApplied = state.configVersion;
        state.splitLabelsSeen = state.labelsSeen;
        state.firstChangeAt = null;
        state.generatedAt = now;
        state.updatedAt = now;
        publisher.publish(new SplitRefreshed(project, state.splitVersion, state.strategy, counts,
                moved.subList(0, Math.min(moved.size(), SplitRefreshed.MAX_MOVED_IDS)), moved.size(), plan.newlyAssigned(),
                state.labelsSeen, now), now);
        LOG.debugf("Split of project %s v%d: %d items, %d moved, %d new", project, state.splitVersion, items.size(),
                moved.size(), plan.newlyAssigned());
    }

    /** The items a derived image was made from (its provenance's parents); empty for originals. */
    private List<UUID> parents(UUID itemId, String provenance) {
        if (provenance == null) {
            return List.of();
        }
        try {
            List<UUID> parents = new ArrayList<>();
            for (JsonNode p : json.readTree(provenance).path("parents")) {
                parents.add(UUID.fromString(p.get("itemId").asText()));
            }
            // a derived item without known parents still trains only: it is its own parent
            return parents.isEmpty() ? List.of(itemId) : parents;
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Item %s: unreadable provenance, treated as derived without parents: %s", itemId, e.getMessage());
            return List.of(itemId);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.loupe.label.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.common.outbox.Outbox;
import dev.loupe.common.rest.FieldError;
import dev.loupe.common.rest.FieldErrors;
import dev.loupe.common.rest.IfMatch;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.events.ItemAdded;
import dev.loupe.events.ItemEvent;
import dev.loupe.events.ItemExcluded;
import dev.loupe.events.ItemLabelChanged;
import dev.loupe.events.ItemRestored;
import dev.loupe.events.Provenance;
import dev.loupe.label.api.ItemList;
import dev.loupe.label.api.ItemView;
import dev.loupe.label.blob.S3Uri;
import dev.loupe.label.config.LabelConfig;
import dev.loupe.label.domain.Item;
import dev.loupe.label.domain.ItemChange;
import dev.loupe.label.domain.ItemSource;
import dev.loupe.label.domain.Project;
import dev.loupe.label.image.ImageInfo;
import dev.loupe.label.image.ImageInspector;
import dev.loupe.label.image.ImageRejectedException;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every change to items: each one bumps the item's version, appends to its history and writes its event to the
 * outbox, all in one transaction. Answers {@link ItemView} records; the entities stay inside the service layer.
 */
@ApplicationScoped
public class ItemService {

    static final int MAX_REASON = 2000;

    private final EntityManager em;
    private final Outbox outbox;
    private final ProjectService projects;
    private final ObjectMapper json;
    private final LabelConfig config;
    private final ImageInspector inspector;
    private final BlobService blobs;

    public ItemService(EntityManager em, Outbox outbox, ProjectService projects, ObjectMapper json, LabelConfig config,
                       BlobService blobs) {
        this.em = em;
        this.blobs = blobs;
        this.outbox = outbox;
        this.projects = projects;
        this.json = json;
        this.config = config;
        this.inspector = new ImageInspector(config.maxImagePixels(), config.maxImageBytes());
    }

    public ImageInspector inspector() {
        return inspector;
    }

    /** The item, or 404. */
    public ItemView get(UUID id) {
        return view(require(id));
    }

    /** The sha256 of the item's image, or 404 for an unknown item. */
    public String imageSha256(UUID id) {
        return require(id).sha256;
    }

    /** The item entity, or 404; for this service and the others of its package. */
    /** The project of an item, or 404. */
    public UUID projectOf(UUID itemId) {
        return require(itemId).projectId;
    }

    public Item require(UUID id) {
        Item item = Item.findById(id);
        if (item == null) {
            throw ProblemException.notFound("item", id);
        }
        return item;
    }

    /** Result of {@link #add}: the item and whether this call created it (false for an idempotent replay). */
    public record Added(ItemView item, boolean created) {
    }

    @Transactional
    public Added add(UUID projectId, NewItem request, String actor) {
        Project project = projects.require(projectId);
        FieldErrors errors = new FieldErrors()
                .check(request.image() == null, "image", "required")
                .check(request.label() == null || request.label().isBlank(), "label", "required")
                .check(request.label() != null && !request.label().isBlank() && !project.hasClass(request.label()),
                        "label", "'" + request.label() + "' is not a class of project " + project.name
                                + " " + project.classList());
        errors.throwIfAny();
        if (request.idempotencyKey() != null) {
            Item existing = Item.find("projectId = ?1 and idempotencyKey = ?2", projectId, request.idempotencyKey())
                    .firstResult();
            if (existing != null) {
                return new Added(view(existing), false);
            }
        }
        ImageInfo info;
        try {
            info = inspector.inspect(request.image());
        } catch (ImageRejectedException e) {
            throw ProblemException.unprocessable("image", e.getMessage());
        }
        Item item = create(project, info, request.image(), request.label(), request.originalSplit(),
                request.originalPath(), request.source(), request.provenance(), request.idempotencyKey(), actor,
                Instant.now());
        return new Added(view(item), true);
    }

    /**
     * Writes a new item whose image was inspected already; the caller owns the transaction. Used by uploads and
     * by imports, so both produce the same rows and the same event.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Item create(Project project, ImageInfo info, byte[] bytes, String label, String split, String path,
                       ItemSource source, Provenance provenance, String idempotencyKey, String actor, Instant now) {
        blobs.put(info, bytes, now);
        return insert(project, info, label, split, path, source, provenance, idempotencyKey, actor, now);
    }

    /**
     * Writes a new imported item whose image stays in the object it was read from (an import by reference); the
     * caller owns the transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Item createReferenced(Project project, ImageInfo info, S3Uri source, String label, String split, String path,
                                 String actor, Instant now) {
        blobs.putReference(info, source, now);
        return insert(project, info, label, split, path, ItemSource.ORIGINAL, null, null, actor, now);
    }

    private Item insert(Project project, ImageInfo info, String label, String split, String path, ItemSource source,
                        Provenance provenance, String idempotencyKey, String actor, Instant now) {
        Item item = new Item();
        item.id = UUID.randomUUID();
        item.projectId = project.id;
        item.label = label;
        item.version = Item.FIRST_VERSION;
        item.originalSplit = split;
        item.originalPath = path;
        item.sha256 = info.sha256();
        item.width = info.width();
        item.height = info.height();
        item.source = source.wireName();
        item.provenance = provenance == null ? null : writeProvenance(provenance);
        item.idempotencyKey = idempotencyKey;
        item.createdAt = now;
        item.updatedAt = now;
        item.persist();
        ItemChange.of(item, ItemChange.Action.ADDED, null, null, actor, now).persist();
        outbox.publish(new ItemAdded(project.id, item.id, item.version, item.sha256, label, split, path,
                item.source, provenance, actor, now), now);
        return item;
    }

    @Transactional
    public ItemView relabel(UUID itemId, String label, String reason, Long expectedVersion, String actor) {
        return view(relabelItem(itemId, label, reason, expectedVersion, actor));
    }

    private Item relabelItem(UUID itemId, String label, String reason, Long expectedVersion, String actor) {
        validateLabelBody(label, reason);
        if (expectedVersion == null) {
            throw ProblemException.preconditionRequired("send If-Match with the version you saw, e.g. If-Match: \"3\"");
        }
        Item item = require(itemId);
        Project project = projects.require(item.projectId);
        if (item.excluded) {
            throw ProblemException.conflict("item " + itemId + " is excluded; restore it before changing its label");
        }
        if (expectedVersion != IfMatch.ANY && item.version != expectedVersion) {
            throw stale(List.of(new FieldError("If-Match",
                    "item " + itemId + " is at version " + item.version + ", not " + expectedVersion)));
        }
        if (!project.hasClass(label)) {
            throw ProblemException.unprocessable("label", notAClass(label, project));
        }
        if (label.equals(item.label)) {
            return item;
        }
        applyLabel(item, label, reason, actor, Instant.now());
        return item;
    }

    /** Several label changes in one transaction: all apply or none does. */
    @Transactional
    public List<ItemView> relabelAll(UUID projectId, List<LabelChange> changes, String reason, String actor) {
        Project project = projects.require(projectId);
        Map<UUID, Item> items = bulkItems(projectId, "changes", "change", changes, reason, LabelChange::itemId,
                LabelChange::version, (change, at, errors) -> {
                    errors.check(change.label() == null || change.label().isBlank(), at + ".label", "required");
                    errors.check(change.label() != null && !change.label().isBlank() && !project.hasClass(change.label()),
                            at + ".label", notAClass(change.label(), project));
                }, (item, at) -> {
                    if (item.excluded) {
                        throw ProblemException.conflict(at + ".itemId", "item " + item.id + " is excluded; restore it first");
                    }
                });
        Instant now = Instant.now();
        List<Item> changed = new ArrayList<>();
        List<String> old = new ArrayList<>();
        for (LabelChange change : changes) {
            Item item = items.get(change.itemId());
            if (!change.label().equals(item.label)) {
                old.add(item.label);
                item.label = change.label();
                item.updatedAt = now;
                changed.add(item);
            }
        }
        // one flush (a JDBC batch of versioned updates), then history and events in batches too
        em.flush();
        List<ItemLabelChanged> events = new ArrayList<>(changed.size());
        for (int i = 0; i < changed.size(); i++) {
            Item item = changed.get(i);
            ItemChange.of(item, ItemChange.Action.RELABELED, old.get(i), reason, actor, now).persist();
            events.add(new ItemLabelChanged(item.projectId, item.id, item.version, item.sha256, old.get(i), item.label,
                    reason, actor, now));
        }
        outbox.publishAll(events, now);
        return changes.stream().map(change -> view(items.get(change.itemId()))).toList();
    }

    @Transactional
    public ItemView exclude(UUID itemId, String reason, Long expectedVersion, String actor) {
        return view(setExcluded(itemId, true, reason, expectedVersion, actor));
    }

    @Transactional
    public ItemView restore(UUID itemId, String reason, Long expectedVersion, String actor) {
        return view(setExcluded(itemId, false, reason, expectedVersion, actor));
    }

    /**
     * Excludes (or restores) many items of a project atomically: each names the version the client saw; every one
     * applies or none does (422 naming the field, 412 for stale versions). Items already so change nothing.
     */
    @Transactional
    public List<ItemView> setExcludedAll(UUID projectId, List<ItemRef> refs, boolean exclude, String reason, String actor) {
        projects.require(projectId);
        Map<UUID, Item> items = bulkItems(projectId, "items", "item", refs, reason, ItemRef::itemId, ItemRef::version,
                (ref, at, errors) -> { }, (item, at) -> { });
        Instant now = Instant.now();
        List<Item> changed = new ArrayList<>();
        for (ItemRef ref : refs) {
            Item item = items.get(ref.itemId());
            if (item.excluded != exclude) {
                markExcluded(item, exclude, reason, now);
                changed.add(item);
            }
        }
        // one flush (a JDBC batch of versioned updates), then history and events in batches too
        em.flush();
        List<ItemEvent> events = new ArrayList<>(changed.size());
        for (Item item : changed) {
            events.add(recordExclusion(item, exclude, reason, actor, now));
        }
        outbox.publishAll(events, now);
        return refs.stream().map(ref -> view(items.get(ref.itemId()))).toList();
    }

    /** Excluding an excluded item (or restoring a present one) changes nothing and emits nothing. */
    private Item setExcluded(UUID itemId, boolean exclude, String reason, Long expectedVersion, String actor) {
        validateReason(reason);
        Item item = require(itemId);
        checkVersion(item, expectedVersion);
        if (item.excluded == exclude) {
            return item;
        }
        applyExcluded(item, exclude, reason, actor, Instant.now());
        return item;
    }

    private void applyExcluded(Item item, boolean exclude, String reason, String actor, Instant now) {
        markExcluded(item, exclude, reason, now);
        em.flush();
        outbox.publish(recordExclusion(item, exclude, reason, actor, now), now);
    }

    private static void markExcluded(Item item, boolean exclude, String reason, Instant now) {
        item.excluded = exclude;
        item.excludedReason = exclude ? reason : null;
        item.updatedAt = now;
    }

    /** After the flush (the item's version is the new one): its history entry, and the event to publish. */
    private static ItemEvent recordExclusion(Item item, boolean exclude, String reason, String actor, Instant now) {
        ItemChange.of(item, exclude ? ItemChange.Action.EXCLUDED : ItemChange.Action.RESTORED, item.label, reason,
                actor, now).persist();
        return exclude
                ? new ItemExcluded(item.projectId, item.id, item.version, item.sha256, item.label, reason, actor, now)
                : new ItemRestored(item.projectId, item.id, item.version, item.sha256, item.label, reason, actor, now);
    }

    /** Every change of the item, oldest first; 404 for an unknown item. */
    public List<HistoryEntry> history(UUID itemId) {
        require(itemId);
        return ItemChange.<ItemChange>list("itemId", Sort.by("version").and("id"), itemId).stream()
                .map(HistoryEntry::of)
                .toList();
    }

    /**
     * Filters for listing a project's items; null means "any". With {@code ids} (distinct) only those items are listed, in
     * that order.
     */
    public record ItemQuery(String label, String split, Boolean excluded, String source, List<UUID> ids, int page, int size) {
    }

    /** A page of the project's items matching the query, with the number of all matching items. */
    public ItemList list(UUID projectId, ItemQuery query) {
        projects.require(projectId);
        StringBuilder where = new StringBuilder("projectId = :project");
        Parameters params = Parameters.with("project", projectId);
        if (query.label() != null) {
            where.append(" and label = :label");
            params.and("label", query.label());
        }
        if (query.split() != null) {
            if (query.split().equals("none")) {
                where.append(" and originalSplit is null");
            } else {
                where.append(" and originalSplit = :split");
                params.and("split", query.split());
            }
        }
        if (query.excluded() != null) {
            where.append(" and excluded = :excluded");
            params.and("excluded", query.excluded());
        }
        if (query.source() != null) {
            where.append(" and source = :source");
            params.and("source", query.source());
        }
        if (query.ids() != null) {
            where.append(" and id in :ids");
            params.and("ids", query.ids());
            Map<UUID, Item> byId = Item.<Item>list(where.toString(), params).stream()
                    .collect(Collectors.toMap(item -> item.id, Function.identity()));
            List<Item> ordered = query.ids().stream().map(byId::get).filter(Objects::nonNull).toList();
            long from = Math.min((long) query.page() * query.size(), ordered.size());
            List<ItemView> page = ordered.subList((int) from, (int) Math.min(from + query.size(), ordered.size())).stream()
                    .map(this::view).toList();
            return new ItemList(page, ordered.size(), query.page(), query.size());
        }
        var found = Item.<Item>find(where.toString(), Sort.by("createdAt").and("id"), params);
        List<ItemView> page = found.page(Page.of(query.page(), query.size())).list().stream().map(this::view).toList();
        return new ItemList(page, found.count(), query.page(), query.size());
    }

    /** The item as the API shows it. */
    ItemView view(Item item) {
        return new ItemView(item.id, item.projectId, item.label, item.version, item.excluded, item.excludedReason,
                item.originalSplit, item.originalPath, item.sha256, item.width, item.height, item.source,
                readProvenance(item), item.createdAt, item.updatedAt);
    }

    private Provenance readProvenance(Item item) {
        if (item.provenance == null) {
            return null;
        }
        try {
            return json.readValue(item.provenance, Provenance.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored provenance of item " + item.id + " is not valid JSON", e);
        }
    }

    /** More checks of one entry of a bulk request, at its field path. */
    private interface EntryCheck<T> {
        void check(T entry, String at, FieldErrors errors);
    }

    /**
     * A bulk request's items, once everything about it is checked: its size and reason, each entry's item id and
     * version (required, no item twice) and {@code entryCheck}, then each item (in the project, {@code itemCheck},
     * at the version named). 422 naming the fields, 412 naming the stale versions; nothing is changed.
     */
    private <T> Map<UUID, Item> bulkItems(UUID projectId, String field, String noun, List<T> entries, String reason,
                                          Function<T, UUID> itemId, Function<T, Long> version, EntryCheck<T> entryCheck,
                                          BiConsumer<Item, String> itemCheck) {
        FieldErrors errors = new FieldErrors();
        if (entries == null || entries.isEmpty()) {
            errors.add(field, "at least one " + noun + " is required");
        } else if (entries.size() > config.maxBulkChanges()) {
            errors.add(field, "at most " + config.maxBulkChanges() + " " + noun + "s per request");
        }
        errors.check(reason != null && reason.length() > MAX_REASON, "reason", "at most " + MAX_REASON + " characters");
        errors.throwIfAny();
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            T entry = entries.get(i);
            String at = field + "[" + i + "]";
            if (entry == null) {
                errors.add(at, "required");
                continue;
            }
            UUID id = itemId.apply(entry);
            errors.check(id == null, at + ".itemId", "required");
            errors.check(version.apply(entry) == null, at + ".version", "required: the version you saw");
            entryCheck.check(entry, at, errors);
            errors.check(id != null && !ids.add(id), at + ".itemId", "item " + id + " appears more than once");
        }
        errors.throwIfAny();
        Map<UUID, Item> items = Item.<Item>list("id in ?1", ids).stream()
                .collect(Collectors.toMap(i -> i.id, Function.identity()));
        List<FieldError> staleErrors = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            T entry = entries.get(i);
            Item item = items.get(itemId.apply(entry));
            String at = field + "[" + i + "]";
            if (item == null || !item.projectId.equals(projectId)) {
                errors.add(at + ".itemId", "no item " + itemId.apply(entry) + " in project " + projectId);
                continue;
            }
            itemCheck.accept(item, at);
            if (item.version != version.apply(entry)) {
                staleErrors.add(new FieldError(at + ".version",
                        "item " + item.id + " is at version " + item.version + ", not " + version.apply(entry)));
            }
        }
        errors.throwIfAny();
        if (!staleErrors.isEmpty()) {
            throw stale(staleErrors);
        }
        return items;
    }

    private void applyLabel(Item item, String label, String reason, String actor, Instant now) {
        String old = item.label;
        item.label = label;
        item.updatedAt = now;
        // flush so the version check runs now and the new version is known for history and event
        em.flush();
        ItemChange.of(item, ItemChange.Action.RELABELED, old, reason, actor, now).persist();
        outbox.publish(new ItemLabelChanged(item.projectId, item.id, item.version, item.sha256, old, label, reason,
                actor, now), now);
    }

    private void checkVersion(Item item, Long expectedVersion) {
        if (expectedVersion != null && expectedVersion != IfMatch.ANY && item.version != expectedVersion) {
            throw stale(List.of(new FieldError("If-Match",
                    "item " + item.id + " is at version " + item.version + ", not " + expectedVersion)));
        }
    }

    private static ProblemException stale(List<FieldError> errors) {
        String detail = errors.size() == 1 ? errors.getFirst().message()
                : errors.size() + " items were changed by someone else; reload them and retry";
        return ProblemException.preconditionFailed(detail, errors);
    }

    private static void validateLabelBody(String label, String reason) {
        new FieldErrors()
                .check(label == null || label.isBlank(), "label", "required")
                .check(reason != null && reason.length() > MAX_REASON, "reason", "at most " + MAX_REASON + " characters")
                .throwIfAny();
    }

    private static void validateReason(String reason) {
        new FieldErrors()
                .check(reason != null && reason.length() > MAX_REASON, "reason", "at most " + MAX_REASON + " characters")
                .throwIfAny();
    }

    private static String notAClass(String label, Project project) {
        return "'" + label + "' is not a class of project " + project.name + " " + project.classList();
    }

    private String writeProvenance(Provenance provenance) {
        try {
            return json.writeValueAsString(provenance);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write provenance", e);
        }
    }

}

package dev.loupe.augment.service;

import dev.loupe.augment.client.LabelServiceClient;
import dev.loupe.augment.domain.AugmentJob;
import dev.loupe.augment.domain.AugmentUnit;
import dev.loupe.augment.image.ContactSheet;
import dev.loupe.augment.image.InvalidOperationException;
import dev.loupe.augment.image.Operation;
import dev.loupe.augment.image.Operations;
import dev.loupe.augment.image.ParamRanges;
import dev.loupe.augment.image.Png;
import dev.loupe.common.rest.FieldErrors;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.label.api.ItemView;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/** Before/after contact sheets: a preview of operations on one item (nothing is created), or what a job made. */
@ApplicationScoped
public class PreviewService {

    public static final int MAX_PREVIEW_COPIES = 16;
    public static final int MAX_SHEET_ROWS = 50;
    private static final ContactSheet SHEET = new ContactSheet(96, 4);

    private final LabelServiceClient labels;

    public PreviewService(LabelServiceClient labels) {
        this.labels = labels;
    }

    /** One row: the item, then {@code copies} results of the operations (seeds as a job with this seed would use). */
    public byte[] preview(UUID itemId, List<Map<String, Object>> opMaps, Integer copies, Long seed)
            throws IOException, InterruptedException {
        FieldErrors errors = new FieldErrors();
        List<List<Operation>> checks = new ArrayList<>();
        try {
            for (double t : ParamRanges.checkPositions(opMaps)) checks.add(Operations.parseAll(ParamRanges.at(opMaps, t)));
        } catch (InvalidOperationException e) {
            errors.add(e.parameter(), e.reason());
        }
        int n = copies == null ? 4 : copies;
        errors.check(n < 1 || n > MAX_PREVIEW_COPIES, "copies", "must be between 1 and " + MAX_PREVIEW_COPIES).throwIfAny();
        ItemView item = labels.item(itemId).orElseThrow(() -> ProblemException.notFound("itemId", "item", itemId));
        try {
            for (List<Operation> ops : checks) Operations.checkFits(ops, item.width(), item.height());
        } catch (InvalidOperationException e) {
            throw ProblemException.unprocessable(e.parameter(), e.reason());
        }
        BufferedImage original = ItemImages.decode(item, labels.blob(item.sha256()));
        List<BufferedImage> row = new ArrayList<>(List.of(original));
        long base = seed == null ? 0 : seed;
        for (int c = 0; c < n; c++) {
            long unitSeed = Seeds.of(base, itemId, c);
            row.add(Operations.applyAll(Seeds.concreteOps(opMaps, unitSeed), original, new SplittableRandom(unitSeed)));
        }
        return SHEET.png(List.of(row));
    }

    /** Augmentations: one row per parent (the parent, then its new images); recipes: the composites, 8 per row. */
    public byte[] jobSheet(UUID jobId, int rows) throws IOException, InterruptedException {
        if (rows < 1 || rows > MAX_SHEET_ROWS) throw ProblemException.unprocessable("rows", "must be between 1 and " + MAX_SHEET_ROWS);
        AugmentJob job = QuarkusTransaction.requiringNew().call(() -> AugmentJob.findById(jobId));
        if (job == null) throw ProblemException.notFound("job", jobId);
        List<AugmentUnit> done = QuarkusTransaction.requiringNew().call(() -> AugmentUnit.<AugmentUnit>list(
                "jobId = ?1 and status = ?2 order by seq", jobId, AugmentUnit.Status.DONE));
        if (done.isEmpty()) throw ProblemException.conflict("status", "job " + jobId + " has made no images yet");
        List<List<BufferedImage>> sheet = new ArrayList<>();
        if (job.kind.equals(AugmentJob.RECIPE)) {
            List<BufferedImage> row = new ArrayList<>();
            for (AugmentUnit u : done.subList(0, Math.min(done.size(), rows * 8))) {
                row.add(itemImage(u.createdItemId));
                if (row.size() == 8) {
                    sheet.add(row);
                    row = new ArrayList<>();
                }
            }
            if (!row.isEmpty()) sheet.add(row);
        } else {
            Map<UUID, List<AugmentUnit>> byParent = new LinkedHashMap<>();
            for (AugmentUnit u : done) {
                if (byParent.size() == rows && !byParent.containsKey(u.parentItemId)) break;
                byParent.computeIfAbsent(u.parentItemId, p -> new ArrayList<>()).add(u);
            }
            for (List<AugmentUnit> units : byParent.values()) {
                List<BufferedImage> row = new ArrayList<>(List.of(image(units.getFirst().parentSha256)));
                for (AugmentUnit u : units) row.add(itemImage(u.createdItemId));
                sheet.add(row);
            }
        }
        return SHEET.png(sheet);
    }

    private BufferedImage itemImage(UUID itemId) throws IOException, InterruptedException {
        ItemView item = labels.item(itemId).orElseThrow(() -> new IOException("item " + itemId + " is gone"));
        return image(item.sha256());
    }

    private BufferedImage image(String sha256) throws IOException, InterruptedException {
        return Png.decode(labels.blob(sha256));
    }
}

package dev.loupe.embedding.analysis.issues;

import dev.loupe.embedding.analysis.LabelIssues;
import dev.loupe.embedding.analysis.OutOfFold;
import dev.loupe.embedding.analysis.ProjectSnapshot;

import java.util.List;

/**
 * Suspected wrong labels by confident learning ({@link LabelIssues}) on out-of-fold probabilities of a logistic
 * regression on the embeddings ({@link OutOfFold}), blended with a trained model's where the project has them
 * ({@link PredictionBlend}), most confident first.
 */
public final class LabelIssueFinder implements IssueFinder<LabelIssue> {

    /** Fewer items than this cannot be split into folds that each see every class. */
    static final int MIN_ITEMS = 10;
    static final int FOLDS = 5;
    static final long SEED = 42;
    static final double LAMBDA = 0.1;

    private final PredictionBlend model;

    /** @param model the trained model's predictions, or null to use the embeddings alone */
    public LabelIssueFinder(PredictionBlend model) {
        this.model = model;
    }

    @Override
    public List<LabelIssue> find(ProjectSnapshot snapshot) {
        List<String> classes = snapshot.classes();
        if (classes.size() < 2 || snapshot.size() < MIN_ITEMS) {
            return List.of();
        }
        int[] labels = snapshot.labels();
        double[][] p = OutOfFold.probabilities(snapshot.features(), labels, classes.size(), FOLDS, SEED, LAMBDA);
        double[][] modelRows = model == null ? null : model.rows(snapshot);
        if (modelRows != null) {
            p = PredictionBlend.blend(p, modelRows);
        }
        double[][] modelP = modelRows;
        return LabelIssues.find(p, labels, classes.size(), snapshot.graph()).stream()
                .map(issue -> issue(snapshot, issue, modelP == null ? null : modelP[issue.row()])).toList();
    }

    private LabelIssue issue(ProjectSnapshot snapshot, LabelIssues.Issue issue, double[] modelRow) {
        List<String> classes = snapshot.classes();
        LabelIssue.ModelOpinion opinion = null;
        if (modelRow != null) {
            int top = 0;
            for (int c = 1; c < modelRow.length; c++) {
                top = modelRow[c] > modelRow[top] ? c : top;
            }
            opinion = new LabelIssue.ModelOpinion(classes.get(top), modelRow[issue.given()], modelRow[issue.suggested()],
                    model.evaluationId());
        }
        return new LabelIssue(snapshot.row(issue.row()).itemId(), classes.get(issue.given()), classes.get(issue.suggested()),
                issue.confidence(), issue.selfConfidence(), issue.suggestedProbability(), issue.neighborAgreement(), opinion);
    }
}

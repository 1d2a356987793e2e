package dev.loupe.training;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of {@link Trainer#train}: the kept (best validation accuracy) epoch's evaluation on val and, when a
 * test folder was given, on it.
 *
 * @param classes       label-index order
 * @param epochs        epochs trained
 * @param bestEpoch     1-based epoch whose weights were kept (the first with the highest validation accuracy, as
 *                      Keras' {@code ModelCheckpoint(save_best_only=True)})
 * @param val           the kept weights on the validation images
 * @param test          the kept weights on the test folder, or null
 * @param seconds       wall time of the training and evaluation (not of loading the images)
 * @param skippedImages images that failed to decode (train, val and test together)
 * @param history       one entry per epoch
 * @param parameters    the kept weights in DJL's {@code Block.saveParameters} format, loadable into
 *                      {@link FixedModel#build(int)} with {@code classes.size()} classes
 */
public record TrainResult(List<String> classes, int epochs, int bestEpoch, Evaluation val, Evaluation test,
                          double seconds, int skippedImages, List<EpochProgress> history, byte[] parameters) {

    public TrainResult {
        classes = List.copyOf(classes);
        history = List.copyOf(history);
    }

    public double valAccuracy() {
        return val.accuracy();
    }

    /** NaN without a test folder. */
    public double testAccuracy() {
        return test == null ? Double.NaN : test.accuracy();
    }

    /**
     * The metrics as JSON: {@code valAccuracy}, {@code testAccuracy} (null without a test folder), {@code perClass}
     * and {@code confusion} (each with {@code val} and, with a test folder, {@code test}; confusion rows are true
     * classes, columns predicted), {@code classes}, {@code epochs}, {@code bestEpoch}, {@code seconds},
     * {@code skippedImages}, {@code valCount}, {@code testCount} and {@code history} (per epoch: epoch, trainLoss,
     * trainAccuracy, valAccuracy, seconds).
     */
    public String toJson() {
        StringBuilder j = new StringBuilder("{\n");
        j.append("  \"valAccuracy\": ").append(num(val.accuracy())).append(",\n");
        j.append("  \"testAccuracy\": ").append(test == null ? "null" : num(test.accuracy())).append(",\n");
        j.append("  \"valCount\": ").append(val.count()).append(",\n");
        j.append("  \"testCount\": ").append(test == null ? "null" : String.valueOf(test.count())).append(",\n");
        j.append("  \"perClass\": {\"val\": ").append(perClass(val.perClass()));
        if (test != null) {
            j.append(", \"test\": ").append(perClass(test.perClass()));
        }
        j.append("},\n");
        j.append("  \"confusion\": {\"val\": ").append(matrix(val.confusion()));
        if (test != null) {
            j.append(", \"test\": ").append(matrix(test.confusion()));
        }
        j.append("},\n");
        j.append("  \"classes\": [");
        for (int i = 0; i < classes.size(); i++) {
            j.append(i == 0 ? "" : ", ").append(str(classes.get(i)));
        }
        j.append("],\n");
        j.append("  \"epochs\": ").append(epochs).append(",\n");
        j.append("  \"bestEpoch\": ").append(bestEpoch).append(",\n");
        j.append("  \"seconds\": ").append(num(seconds)).append(",\n");
        j.append("  \"skippedImages\": ").append(skippedImages).append(",\n");
        j.append("  \"history\": [");
        for (int i = 0; i < history.size(); i++) {
            EpochProgress p = history.get(i);
            j.append(i == 0 ? "\n" : ",\n").append("    {\"epoch\": ").append(p.epoch())
                    .append(", \"trainLoss\": ").append(num(p.trainLoss()))
                    .append(", \"trainAccuracy\": ").append(num(p.trainAccuracy()))
                    .append(", \"valAccuracy\": ").append(num(p.valAccuracy()))
                    .append(", \"seconds\": ").append(num(p.elapsed().toMillis() / 1000.0)).append('}');
        }
        j.append(history.isEmpty() ? "]\n" : "\n  ]\n");
        return j.append("}\n").toString();
    }

    private static String perClass(Map<String, Double> m) {
        StringBuilder s = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, Double> e : m.entrySet()) {
            s.append(first ? "" : ", ").append(str(e.getKey())).append(": ")
                    .append(e.getValue() == null ? "null" : num(e.getValue()));
            first = false;
        }
        return s.append('}').toString();
    }

    private static String matrix(int[][] m) {
        StringBuilder s = new StringBuilder("[");
        for (int r = 0; r < m.length; r++) {
            s.append(r == 0 ? "[" : ", [");
            for (int c = 0; c < m[r].length; c++) {
                s.append(c == 0 ? "" : ", ").append(m[r][c]);
            }
            s.append(']');
        }
        return s.append(']').toString();
    }

    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        return String.format(Locale.ROOT, "%.6g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }

    static String str(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}

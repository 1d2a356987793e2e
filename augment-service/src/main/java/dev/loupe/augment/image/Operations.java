package dev.loupe.augment.image;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Reads operations from their map form, {@code {"op":"rotate","params":{"degrees":10}}} (what Jackson makes of a
 * JSON request), with the same validation as the constructors, and applies chains of them.
 */
public final class Operations {

    /** The names {@link #parse} accepts. */
    public static final List<String> NAMES = List.of(MirrorLr.NAME, MirrorTb.NAME, Rotate.NAME, Zoom.NAME, Crop.NAME,
            Translate.NAME, Blur.NAME, GaussianNoise.NAME, Erase.NAME, Resize.NAME);

    private Operations() {
    }

    /**
     * One operation. Failures are {@link InvalidOperationException}s naming the parameter ({@code op},
     * {@code params}, {@code degrees}, {@code rects[1].width}, ...).
     */
    public static Operation parse(Map<?, ?> map) {
        if (map == null) throw new InvalidOperationException("op", "is required");
        for (Object key : map.keySet()) {
            if (!"op".equals(key) && !"params".equals(key)) {
                throw new InvalidOperationException(String.valueOf(key), "is not a field of an operation (op, params)");
            }
        }
        Object name = map.get("op");
        if (name == null) throw new InvalidOperationException("op", "is required");
        if (!(name instanceof String op)) throw new InvalidOperationException("op", "must be a string, was " + Params.describe(name));
        Object rawParams = map.get("params");
        if (rawParams != null && !(rawParams instanceof Map)) {
            throw new InvalidOperationException("params", "must be an object, was " + Params.describe(rawParams));
        }
        Params p = new Params(op, rawParams == null ? Map.of() : (Map<?, ?>) rawParams);
        return switch (op) {
            case MirrorLr.NAME -> {
                p.only();
                yield new MirrorLr();
            }
            case MirrorTb.NAME -> {
                p.only();
                yield new MirrorTb();
            }
            case Rotate.NAME -> new Rotate(p.only("degrees").number("degrees"));
            case Zoom.NAME, "scale" -> new Zoom(p.only("factor").number("factor"));
            case Crop.NAME -> {
                p.only("x", "y", "width", "height");
                yield new Crop(p.integer("x"), p.integer("y"), p.integer("width"), p.integer("height"));
            }
            case Translate.NAME -> new Translate(p.only("dx", "dy").number("dx"), p.number("dy"));
            case Blur.NAME -> new Blur(p.only("radius").number("radius"));
            case GaussianNoise.NAME -> noise(p);
            case Erase.NAME -> erase(p);
            case Resize.NAME -> new Resize(p.only("width", "height").integer("width"), p.integer("height"));
            default -> throw new InvalidOperationException("op", "unknown operation \"" + op + "\" (known: "
                    + String.join(", ", NAMES) + ")");
        };
    }

    /** A chain, e.g. a request's {@code ops} array; failures name the position: {@code ops[2].radius}. */
    public static List<Operation> parseAll(List<?> maps) {
        if (maps == null) throw new InvalidOperationException("ops", "is required");
        List<Operation> ops = new ArrayList<>(maps.size());
        for (int i = 0; i < maps.size(); i++) {
            Object item = maps.get(i);
            if (!(item instanceof Map<?, ?> map)) {
                throw new InvalidOperationException("ops[" + i + "]", "must be an object, was " + Params.describe(item));
            }
            try {
                ops.add(parse(map));
            } catch (InvalidOperationException e) {
                throw e.within("ops[" + i + "]");
            }
        }
        return List.copyOf(ops);
    }

    /**
     * Checks, without touching pixels, that a chain fits an image of the given size: crop boxes and erase rectangles
     * inside the image as it is at that step, masks of its size. Lets a job refuse a bad chain before it creates
     * anything. Failures name the step: {@code ops[1].width}.
     *
     * @return the size {@code [width, height]} of the result
     */
    public static int[] checkFits(List<? extends Operation> ops, int width, int height) {
        int w = width, h = height;
        for (int i = 0; i < ops.size(); i++) {
            try {
                switch (ops.get(i)) {
                    case Crop crop -> {
                        crop.box().requireInside(w, h);
                        w = crop.box().width();
                        h = crop.box().height();
                    }
                    case Erase erase -> {
                        for (int r = 0; r < erase.rects().size(); r++) {
                            try {
                                erase.rects().get(r).requireInside(w, h);
                            } catch (InvalidOperationException e) {
                                throw e.within("rects[" + r + "]");
                            }
                        }
                    }
                    case EraseMask mask -> {
                        if (mask.mask().width() != w || mask.mask().height() != h) {
                            throw new InvalidOperationException("mask", "is " + mask.mask().width() + "x"
                                    + mask.mask().height() + " but the image is " + w + "x" + h + " at this step");
                        }
                    }
                    case Resize resize -> {
                        w = resize.width();
                        h = resize.height();
                    }
                    default -> { }
                }
            } catch (InvalidOperationException e) {
                throw e.within("ops[" + i + "]");
            }
        }
        return new int[]{w, h};
    }

    /** The map forms of a chain, for provenance. */
    public static List<Map<String, Object>> toMaps(List<? extends Operation> ops) {
        return ops.stream().map(Operation::toMap).toList();
    }

    /** Applies a chain in order, all drawing from one random stream. */
    public static Pixels applyAll(List<? extends Operation> ops, Pixels image, RandomGenerator random) {
        Pixels current = image;
        for (Operation op : ops) current = op.apply(current, random);
        return current == image ? image.copy() : current;
    }

    public static BufferedImage applyAll(List<? extends Operation> ops, BufferedImage image, RandomGenerator random) {
        return applyAll(ops, Pixels.of(image), random).toImage();
    }

    private static Operation noise(Params p) {
        String type = p.string("type");
        return switch (type) {
            case GaussianNoise.TYPE -> new GaussianNoise(p.only("type", "sigma").number("sigma"));
            case SaltAndPepperNoise.TYPE -> new SaltAndPepperNoise(p.only("type", "amount").number("amount"));
            default -> throw new InvalidOperationException("type", "must be \"" + GaussianNoise.TYPE + "\" or \""
                    + SaltAndPepperNoise.TYPE + "\", was \"" + type + "\"");
        };
    }

    private static Operation erase(Params p) {
        p.only("rects", "mask");
        if (p.has("rects") == p.has("mask")) {
            throw new InvalidOperationException("rects", "give either rects or mask, not " + (p.has("mask") ? "both" : "neither"));
        }
        if (p.has("mask")) {
            Object mask = p.raw("mask");
            if (mask instanceof byte[] png) return new EraseMask(Mask.fromPng(png));
            if (mask instanceof String base64) return new EraseMask(Mask.fromBase64Png(base64));
            throw new InvalidOperationException("mask", "must be a base64 PNG string, was " + Params.describe(mask));
        }
        if (!(p.raw("rects") instanceof List<?> list)) {
            throw new InvalidOperationException("rects", "must be a list of {x, y, width, height}");
        }
        List<Rect> rects = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> r)) {
                throw new InvalidOperationException("rects[" + i + "]", "must be an object {x, y, width, height}");
            }
            try {
                Params rp = new Params("a rectangle", r).only("x", "y", "width", "height");
                rects.add(new Rect(rp.integer("x"), rp.integer("y"), rp.integer("width"), rp.integer("height")));
            } catch (InvalidOperationException e) {
                throw e.within("rects[" + i + "]");
            }
        }
        return new Erase(rects);
    }
}

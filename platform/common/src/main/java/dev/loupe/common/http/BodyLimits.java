package dev.loupe.common.http;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Which body size an endpoint accepts: the largest rule that matches the request, else the default. */
public final class BodyLimits {

    /** A named rule: requests whose path matches (and method, if given) may send up to {@code maxBytes}. */
    public record Rule(String name, java.util.regex.Pattern path, List<String> methods, long maxBytes) {
        boolean matches(String method, String requestPath) {
            return (methods.isEmpty() || methods.stream().anyMatch(m -> m.equalsIgnoreCase(method)))
                    && path.matcher(requestPath).matches();
        }
    }

    private final long defaultMaxBytes;
    private final List<Rule> rules;

    public BodyLimits(long defaultMaxBytes, List<Rule> rules) {
        this.defaultMaxBytes = defaultMaxBytes;
        this.rules = rules.stream().sorted(Comparator.comparingLong(Rule::maxBytes).reversed()).toList();
    }

    static BodyLimits of(HttpConfig config) {
        List<Rule> rules = config.bodyLimits().entrySet().stream()
                .map(e -> new Rule(e.getKey(), e.getValue().path(),
                        e.getValue().methods().orElse(List.of()).stream().map(m -> m.toUpperCase(Locale.ROOT)).toList(),
                        e.getValue().maxSize().asLongValue()))
                .toList();
        return new BodyLimits(config.maxBodySize().asLongValue(), rules);
    }

    /** The largest body this request may send, in bytes. */
    public long limit(String method, String path) {
        for (Rule rule : rules) {
            if (rule.matches(method, path)) {
                return rule.maxBytes();
            }
        }
        return defaultMaxBytes;
    }

    /** A size for people: "1 MiB", "2 GiB", "512 KiB", else bytes. */
    public static String readable(long bytes) {
        String[] units = {"GiB", "MiB", "KiB"};
        long[] sizes = {1L << 30, 1L << 20, 1L << 10};
        for (int i = 0; i < units.length; i++) {
            if (bytes >= sizes[i] && bytes % sizes[i] == 0) {
                return bytes / sizes[i] + " " + units[i];
            }
        }
        return bytes + " bytes";
    }
}

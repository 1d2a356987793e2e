package dev.loupe.security;

import java.net.InetAddress;
import java.util.List;

/** Addresses and CIDR ranges of reverse proxies trusted to set {@code Loupe-User}. */
final class TrustedProxies {

    private record Range(byte[] network, int prefix) {
    }

    private final List<Range> ranges;

    TrustedProxies(List<String> specs) {
        this.ranges = specs.stream().map(String::strip).filter(s -> !s.isEmpty()).map(TrustedProxies::parse).toList();
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    boolean contains(String address) {
        if (address == null || ranges.isEmpty()) {
            return false;
        }
        byte[] bytes;
        try {
            bytes = literal(address);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return ranges.stream().anyMatch(r -> matches(r, bytes));
    }

    private static boolean matches(Range range, byte[] address) {
        if (range.network().length != address.length) {
            return false;
        }
        int full = range.prefix() / 8;
        int rest = range.prefix() % 8;
        for (int i = 0; i < full; i++) {
            if (range.network()[i] != address[i]) {
                return false;
            }
        }
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (range.network()[full] & mask) == (address[full] & mask);
    }

    /** The bytes of an IP literal; never a DNS lookup. */
    private static byte[] literal(String text) {
        if (!text.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            throw new IllegalArgumentException("not an IP literal: " + text);
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: " + text, e);
        }
    }

    private static Range parse(String spec) {
        int slash = spec.indexOf('/');
        String host = slash < 0 ? spec : spec.substring(0, slash);
        try {
            byte[] network = literal(host);
            int prefix = slash < 0 ? network.length * 8 : Integer.parseInt(spec.substring(slash + 1));
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("loupe.auth.trusted-proxies: bad prefix in " + spec);
            }
            return new Range(network, prefix);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("loupe.auth.trusted-proxies: not an IP address or CIDR range: " + spec, e);
        }
    }
}

package dev.loupe.dataset.webhook;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The SSRF guard of webhook targets: only http(s) URLs whose host resolves to public addresses only. Loopback and
 * private/link-local ranges can be opened by configuration; cloud metadata, unspecified, multicast and reserved
 * addresses never can. Every address of a host is checked, so a name that resolves to one public and one internal
 * address is refused (a client may pick either).
 */
public final class UrlGuard {

    /** Resolves a host name to all its addresses; the system resolver outside of tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** What kind of address a target resolved to. */
    public enum AddressClass {
        PUBLIC, LOOPBACK, PRIVATE, LINK_LOCAL, METADATA, UNSPECIFIED, MULTICAST, RESERVED
    }

    /** Why a URL is refused: {@code kind} tells a retryable DNS failure from a rule violation. */
    public static final class Rejected extends Exception {

        public enum Kind { INVALID, FORBIDDEN, UNRESOLVABLE }

        private final Kind kind;

        Rejected(Kind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

    static final int MAX_URL_LENGTH = 2048;

    // Instance metadata services hand out cloud credentials: AWS/GCP/Azure/OCI, AWS ECS tasks, Alibaba ...
    private static final Set<Integer> METADATA_V4 = Set.of(ipv4(169, 254, 169, 254), ipv4(169, 254, 170, 2),
            ipv4(100, 100, 100, 200));
    // ... and AWS over IPv6 (fd00:ec2::254)
    private static final byte[] METADATA_V6 = {(byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};

    private final boolean allowLoopback;
    private final boolean allowPrivate;
    private final Resolver resolver;

    public UrlGuard(boolean allowLoopback, boolean allowPrivate) {
        this(allowLoopback, allowPrivate, InetAddress::getAllByName);
    }

    public UrlGuard(boolean allowLoopback, boolean allowPrivate, Resolver resolver) {
        this.allowLoopback = allowLoopback;
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    /** Parses and checks a target, resolving its host: the registration-time check. */
    public URI check(String url) throws Rejected {
        URI uri = parse(url);
        resolve(uri);
        return uri;
    }

    /** The URL if it is an absolute http(s) URL with a host and no credentials; nothing is resolved. */
    public URI parse(String url) throws Rejected {
        if (url == null || url.isBlank()) {
            throw new Rejected(Rejected.Kind.INVALID, "is required");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw new Rejected(Rejected.Kind.INVALID, "at most " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new Rejected(Rejected.Kind.INVALID, "not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Rejected(Rejected.Kind.INVALID, "must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new Rejected(Rejected.Kind.INVALID, "must name a host");
        }
        // credentials in a URL end up in logs and in every GET of the webhook; the secret signs deliveries instead
        if (uri.getRawUserInfo() != null) {
            throw new Rejected(Rejected.Kind.INVALID, "must not contain user info (credentials)");
        }
        return uri;
    }

    /** All addresses of the URL's host, if every one of them is allowed. */
    public List<InetAddress> resolve(URI uri) throws Rejected {
        String host = uri.getHost();
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new Rejected(Rejected.Kind.UNRESOLVABLE, "host " + host + " does not resolve");
        }
        if (addresses == null || addresses.length == 0) {
            throw new Rejected(Rejected.Kind.UNRESOLVABLE, "host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            Optional<String> refusal = refusal(address);
            if (refusal.isPresent()) {
                throw new Rejected(Rejected.Kind.FORBIDDEN, "host " + host + " resolves to " + refusal.get());
            }
        }
        return List.of(addresses);
    }

    /** Why this address may not be a webhook target under this configuration, or empty if it may. */
    public Optional<String> refusal(InetAddress address) {
        AddressClass kind = classify(address);
        boolean allowed = switch (kind) {
            case PUBLIC -> true;
            case LOOPBACK -> allowLoopback;
            case PRIVATE, LINK_LOCAL -> allowPrivate;
            case METADATA, UNSPECIFIED, MULTICAST, RESERVED -> false;
        };
        if (allowed) {
            return Optional.empty();
        }
        String what = switch (kind) {
            case LOOPBACK -> "a loopback address";
            case PRIVATE -> "a private address";
            case LINK_LOCAL -> "a link-local address";
            case METADATA -> "a cloud metadata address";
            case UNSPECIFIED -> "an unspecified address";
            case MULTICAST -> "a multicast address";
            default -> "a reserved address";
        };
        return Optional.of(what + " (" + address.getHostAddress() + "), which is not allowed");
    }

    /** The class of an address; IPv6 forms that embed an IPv4 address are judged by that address. */
    public static AddressClass classify(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] embedded = embeddedIpv4(v6.getAddress());
            if (embedded != null) {
                return classifyV4(embedded);
            }
            return classifyV6(v6);
        }
        return classifyV4(address.getAddress());
    }

    private static AddressClass classifyV4(byte[] a) {
        int b0 = a[0] & 0xff;
        int b1 = a[1] & 0xff;
        if (METADATA_V4.contains(ipv4(b0, b1, a[2] & 0xff, a[3] & 0xff))) {
            return AddressClass.METADATA;
        }
        if (b0 == 0) {
            return AddressClass.UNSPECIFIED; // 0.0.0.0/8: "this network"; 0.0.0.0 reaches the local host on Linux
        }
        if (b0 == 127) {
            return AddressClass.LOOPBACK;
        }
        if (b0 == 10 || (b0 == 172 && b1 >= 16 && b1 <= 31) || (b0 == 192 && b1 == 168)
                || (b0 == 100 && b1 >= 64 && b1 <= 127)) { // RFC 1918 and CGNAT 100.64.0.0/10
            return AddressClass.PRIVATE;
        }
        if (b0 == 169 && b1 == 254) {
            return AddressClass.LINK_LOCAL;
        }
        if (b0 >= 224 && b0 <= 239) {
            return AddressClass.MULTICAST;
        }
        if (b0 >= 240) {
            return AddressClass.RESERVED; // 240.0.0.0/4 and the broadcast address
        }
        return AddressClass.PUBLIC;
    }

    private static AddressClass classifyV6(Inet6Address v6) {
        byte[] a = v6.getAddress();
        if (Arrays.equals(a, METADATA_V6)) {
            return AddressClass.METADATA;
        }
        if (v6.isAnyLocalAddress()) {
            return AddressClass.UNSPECIFIED;
        }
        if (v6.isLoopbackAddress()) {
            return AddressClass.LOOPBACK;
        }
        if ((a[0] & 0xff) == 0xff) {
            return AddressClass.MULTICAST;
        }
        if ((a[0] & 0xfe) == 0xfc) {
            return AddressClass.PRIVATE; // unique local fc00::/7
        }
        if ((a[0] & 0xff) == 0xfe && (a[1] & 0xc0) == 0x80) {
            return AddressClass.LINK_LOCAL; // fe80::/10
        }
        if ((a[0] & 0xff) == 0xfe && (a[1] & 0xc0) == 0xc0) {
            return AddressClass.PRIVATE; // deprecated site-local fec0::/10
        }
        return AddressClass.PUBLIC;
    }

    /**
     * The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96)
     * or 6to4 (2002::/16) address, or null. A connection to any of these reaches the IPv4 address, so
     * {@code ::ffff:127.0.0.1} is loopback however it is written.
     */
    static byte[] embeddedIpv4(byte[] a) {
        if (a.length != 16) {
            return null;
        }
        boolean zeroTo9 = allZero(a, 0, 10);
        boolean mapped = zeroTo9 && (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff;
        // ::a.b.c.d, but not :: and ::1 themselves (classified as IPv6 unspecified and loopback)
        boolean compatible = zeroTo9 && a[10] == 0 && a[11] == 0 && !(allZero(a, 12, 15) && (a[15] == 0 || a[15] == 1));
        boolean nat64 = (a[0] & 0xff) == 0x00 && (a[1] & 0xff) == 0x64 && (a[2] & 0xff) == 0xff
                && (a[3] & 0xff) == 0x9b && allZero(a, 4, 12);
        if (mapped || compatible || nat64) {
            return Arrays.copyOfRange(a, 12, 16);
        }
        if ((a[0] & 0xff) == 0x20 && (a[1] & 0xff) == 0x02) {
            return Arrays.copyOfRange(a, 2, 6);
        }
        return null;
    }

    private static int ipv4(int b0, int b1, int b2, int b3) {
        return b0 << 24 | b1 << 16 | b2 << 8 | b3;
    }

    private static boolean allZero(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }
}

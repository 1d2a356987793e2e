package dev.loupe.dataset.webhook;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The SSRF guard of webhook targets: only http(s) URLs whose host resolves to public addresses only. Loopback and
 * private/link-local ranges can be opened by configuration; cloud metadata, unspecified, multicast and reserved
 * addresses (documentation, benchmarking, Teredo, broadcast, unassigned IPv6 ...) never can. Ranges are compared with
 * the IPAddress library rather than by hand. Every address of a host is checked, so a name that resolves to one public and one internal
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

    /** An address block (from IANA's special-purpose registries, RFC 6890) and what a target in it is. */
    private record Block(IPAddress range, AddressClass kind) {
    }

    /** First match wins: single addresses before the blocks that hold them. */
    private static final List<Block> IPV4 = blocks(
            // instance metadata services hand out cloud credentials: AWS/GCP/Azure/OCI, AWS ECS tasks, Alibaba
            AddressClass.METADATA, "169.254.169.254/32", "169.254.170.2/32", "100.100.100.200/32",
            AddressClass.UNSPECIFIED, "0.0.0.0/8", // "this network"; 0.0.0.0 reaches the local host on Linux
            AddressClass.LOOPBACK, "127.0.0.0/8",
            AddressClass.PRIVATE, "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", // RFC 1918, CGNAT
            AddressClass.LINK_LOCAL, "169.254.0.0/16",
            AddressClass.MULTICAST, "224.0.0.0/4",
            AddressClass.RESERVED,
            "192.0.0.0/24", // IETF protocol assignments (DS-Lite, NAT64 discovery ...)
            "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", // TEST-NET-1, -2, -3 (documentation)
            "198.18.0.0/15", // benchmarking
            "192.88.99.0/24", // 6to4 relay anycast (deprecated)
            "240.0.0.0/4"); // reserved, and 255.255.255.255 (limited broadcast)

    private static final List<Block> IPV6 = blocks(
            AddressClass.METADATA, "fd00:ec2::254/128", // AWS over IPv6
            AddressClass.UNSPECIFIED, "::/128",
            AddressClass.LOOPBACK, "::1/128",
            AddressClass.MULTICAST, "ff00::/8",
            AddressClass.LINK_LOCAL, "fe80::/10",
            AddressClass.PRIVATE, "fc00::/7", "fec0::/10", "64:ff9b:1::/48", // unique local, site-local, local NAT64
            AddressClass.RESERVED,
            "2001::/32", // Teredo: tunnels to an obfuscated IPv4 address that no range check sees
            "2001:db8::/32", "3fff::/20", // documentation
            "2001:2::/48", // benchmarking
            "2001:10::/28", "2001:20::/28", // ORCHID
            "100::/64"); // discard-only

    /** Global unicast IPv6: everything outside it is unassigned or special. */
    private static final IPAddress GLOBAL_UNICAST_V6 = new IPAddressString("2000::/3").getAddress();

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

    /**
     * The class of an address. IPv6 forms that reach an IPv4 address are judged by that address: IPv4-mapped
     * (::ffff:a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and
     * 6to4 (2002::/16), so {@code ::ffff:127.0.0.1} is loopback however it is written.
     */
    public static AddressClass classify(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return classify(new IPv4Address(bytes), IPV4);
        }
        IPv6Address v6 = new IPv6Address(bytes); // without the scope id: a zone does not change the range
        IPv4Address embedded = embeddedIpv4(v6);
        if (embedded != null) {
            return classify(embedded, IPV4);
        }
        AddressClass special = classify(v6, IPV6);
        if (special == AddressClass.PUBLIC && !GLOBAL_UNICAST_V6.contains(v6)) {
            return AddressClass.RESERVED;
        }
        return special;
    }

    private static IPv4Address embeddedIpv4(IPv6Address v6) {
        if (v6.isZero() || v6.isLoopback()) {
            return null; // :: and ::1 are IPv6's own unspecified and loopback addresses
        }
        boolean translated = v6.getSegment(0).isZero() && v6.getSegment(1).isZero() && v6.getSegment(2).isZero()
                && v6.getSegment(3).isZero() && v6.getSegment(4).getSegmentValue() == 0xffff
                && v6.getSegment(5).isZero(); // ::ffff:0:a.b.c.d (SIIT, RFC 2765)
        if (v6.isIPv4Mapped() || v6.isIPv4Compatible() || v6.isWellKnownIPv4Translatable() || translated) {
            return v6.getEmbeddedIPv4Address();
        }
        if (v6.is6To4()) {
            return v6.get6To4IPv4Address();
        }
        return null;
    }

    private static AddressClass classify(IPAddress address, List<Block> blocks) {
        for (Block block : blocks) {
            if (block.range().contains(address)) {
                return block.kind();
            }
        }
        return AddressClass.PUBLIC;
    }

    /** Blocks from a list of classes, each followed by its CIDR ranges. */
    private static List<Block> blocks(Object... classesAndRanges) {
        List<Block> blocks = new ArrayList<>();
        AddressClass kind = null;
        for (Object entry : classesAndRanges) {
            if (entry instanceof AddressClass k) {
                kind = k;
            } else {
                blocks.add(new Block(new IPAddressString((String) entry).getAddress().toPrefixBlock(), kind));
            }
        }
        return List.copyOf(blocks);
    }
}

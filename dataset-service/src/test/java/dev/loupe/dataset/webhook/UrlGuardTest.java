package dev.loupe.dataset.webhook;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UrlGuardTest {

    private static final UrlGuard STRICT = new UrlGuard(false, false);

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, LOOPBACK", "127.255.255.254, LOOPBACK", "::1, LOOPBACK",
            "10.0.0.1, PRIVATE", "10.255.255.255, PRIVATE", "172.16.0.1, PRIVATE", "172.31.255.255, PRIVATE",
            "192.168.0.1, PRIVATE", "192.168.255.255, PRIVATE", "fc00::1, PRIVATE", "fdff:ffff::1, PRIVATE",
            "100.64.0.1, PRIVATE", "100.127.255.255, PRIVATE",
            "169.254.0.1, LINK_LOCAL", "169.254.255.255, LINK_LOCAL", "fe80::1, LINK_LOCAL", "febf::1, LINK_LOCAL",
            "169.254.169.254, METADATA", "169.254.170.2, METADATA", "100.100.100.200, METADATA", "fd00:ec2::254, METADATA",
            "0.0.0.0, UNSPECIFIED", "0.1.2.3, UNSPECIFIED", "::, UNSPECIFIED",
            "224.0.0.1, MULTICAST", "239.255.255.250, MULTICAST", "ff02::1, MULTICAST",
            "240.0.0.1, RESERVED", "255.255.255.255, RESERVED",
            // the neighbours of each range are public
            "9.255.255.255, PUBLIC", "11.0.0.0, PUBLIC", "172.15.255.255, PUBLIC", "172.32.0.0, PUBLIC",
            "192.167.255.255, PUBLIC", "192.169.0.0, PUBLIC", "100.63.255.255, PUBLIC", "100.128.0.0, PUBLIC",
            "169.253.255.255, PUBLIC", "169.255.0.0, PUBLIC", "126.255.255.255, PUBLIC", "128.0.0.0, PUBLIC",
            "223.255.255.255, PUBLIC", "8.8.8.8, PUBLIC", "2001:4860:4860::8888, PUBLIC",
            "fec0::1, PRIVATE"})
    void everyRangeIsClassified(String address, UrlGuard.AddressClass expected) throws Exception {
        assertEquals(expected, UrlGuard.classify(InetAddress.getByName(address)));
    }

    /** The special-purpose blocks of RFC 6890 and later that are no webhook target, each with an edge address. */
    @ParameterizedTest
    @CsvSource({
            "192.0.0.0, RESERVED", "192.0.0.255, RESERVED", // IETF protocol assignments 192.0.0.0/24
            "192.0.2.1, RESERVED", "198.51.100.7, RESERVED", "203.0.113.255, RESERVED", // TEST-NET-1, -2, -3
            "198.18.0.0, RESERVED", "198.19.255.255, RESERVED", // benchmarking 198.18.0.0/15
            "192.88.99.1, RESERVED", // 6to4 relay anycast
            "240.0.0.0, RESERVED", "255.255.255.254, RESERVED", "255.255.255.255, RESERVED", // 240/4, broadcast
            "0.255.255.255, UNSPECIFIED", "100.64.0.0, PRIVATE", "224.0.0.0, MULTICAST", "239.255.255.255, MULTICAST",
            "2001::1, RESERVED", "2001:0:4136:e378:8000:63bf:3fff:fdd2, RESERVED", "2001:0:ffff::1, RESERVED", // Teredo
            "2001:db8::1, RESERVED", "2001:db8:ffff::1, RESERVED", "3fff::1, RESERVED", // documentation
            "2001:2::1, RESERVED", "2001:10::1, RESERVED", "2001:20::1, RESERVED", "100::1, RESERVED",
            "64:ff9b:1::1, PRIVATE", // local-use NAT64
            "fbff::1, RESERVED", "4000::1, RESERVED", "1::1, RESERVED", // outside global unicast 2000::/3
            "ff05::1, MULTICAST", "febf:ffff::1, LINK_LOCAL",
            // neighbours that are public
            "192.0.1.255, PUBLIC", "192.0.3.0, PUBLIC", "198.51.99.255, PUBLIC", "198.51.101.0, PUBLIC",
            "203.0.112.255, PUBLIC", "203.0.114.0, PUBLIC", "198.17.255.255, PUBLIC", "198.20.0.0, PUBLIC",
            "192.88.98.255, PUBLIC", "2001:db9::1, PUBLIC", "2001:1:0:1::1, PUBLIC", "2a00:1450:4001::1, PUBLIC",
            "3ffe:ffff::1, PUBLIC"})
    void specialPurposeBlocksAreNeverPublic(String address, UrlGuard.AddressClass expected) throws Exception {
        assertEquals(expected, UrlGuard.classify(InetAddress.getByName(address)));
    }

    /** IPv6 forms that reach an IPv4 address are judged by that address. */
    @ParameterizedTest
    @CsvSource({
            "0064ff9b00000000000000007f000001, LOOPBACK", // NAT64 64:ff9b::127.0.0.1
            "0064ff9b0000000000000000a9fea9fe, METADATA", // 64:ff9b::169.254.169.254
            "0064ff9b0000000000000000c6120001, RESERVED", // 64:ff9b::198.18.0.1
            "0064ff9b000000000000000008080808, PUBLIC",
            "00000000000000000000ffffc0000201, RESERVED", // ::ffff:192.0.2.1
            "00000000000000000000ffff64400001, PRIVATE", // ::ffff:100.64.0.1
            "0000000000000000ffff00000a000001, PRIVATE", // IPv4-translated ::ffff:0:10.0.0.1
            "0000000000000000ffff00007f000001, LOOPBACK", // ::ffff:0:127.0.0.1
            "2002cb00710000000000000000000001, RESERVED", // 6to4 of 203.0.113.0
            "20020a00000100000000000000000001, PRIVATE", // 6to4 of 10.0.0.1
            "20020808080800000000000000000001, PUBLIC"})
    void embeddedIpv4AddressesDecide(String hex, UrlGuard.AddressClass expected) throws Exception {
        assertEquals(expected, UrlGuard.classify(v6(hex)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://198.18.0.1/", "http://192.0.2.10/", "http://203.0.113.5/", "http://192.0.0.8/",
            "http://255.255.255.255/", "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "http://[2001:db8::1]/",
            "http://[64:ff9b::a9fe:a9fe]/", "http://[64:ff9b::c612:1]/", "http://[::ffff:0:c000:20a]/"})
    void specialPurposeTargetsAreRefusedEvenWhenLoopbackAndPrivateAreAllowed(String url) {
        // loopback and private stay open to configuration (LOUPE_DATASET_WEBHOOKS_ALLOW_LOOPBACK, ..._ALLOW_PRIVATE)
        UrlGuard open = new UrlGuard(true, true);
        UrlGuard.Rejected e = assertThrows(UrlGuard.Rejected.class, () -> open.check(url));
        assertEquals(UrlGuard.Rejected.Kind.FORBIDDEN, e.kind());
    }

    @Test
    void ipv6FormsEmbeddingAnIpv4AddressAreJudgedByIt() throws Exception {
        // Inet6Address.getByAddress keeps the IPv6 form (InetAddress.getByName would unwrap a mapped one itself)
        assertEquals(UrlGuard.AddressClass.LOOPBACK, UrlGuard.classify(v6("00000000000000000000ffff7f000001"))); // ::ffff:127.0.0.1
        assertEquals(UrlGuard.AddressClass.PRIVATE, UrlGuard.classify(v6("00000000000000000000ffff0a000001"))); // ::ffff:10.0.0.1
        assertEquals(UrlGuard.AddressClass.METADATA, UrlGuard.classify(v6("00000000000000000000ffffa9fea9fe"))); // ::ffff:169.254.169.254
        assertEquals(UrlGuard.AddressClass.LOOPBACK, UrlGuard.classify(v6("0000000000000000000000007f000001"))); // ::127.0.0.1
        assertEquals(UrlGuard.AddressClass.PRIVATE, UrlGuard.classify(v6("0064ff9b0000000000000000c0a80001"))); // 64:ff9b::192.168.0.1
        assertEquals(UrlGuard.AddressClass.METADATA, UrlGuard.classify(v6("2002a9fea9fe00000000000000000001"))); // 6to4 of 169.254.169.254
        assertEquals(UrlGuard.AddressClass.PUBLIC, UrlGuard.classify(v6("00000000000000000000ffff08080808"))); // ::ffff:8.8.8.8
        // and the text form a URL would carry is refused the same way
        assertTrue(STRICT.refusal(InetAddress.getByName("::ffff:127.0.0.1")).isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/hook", "http://[::1]:8080/", "http://10.0.0.1/", "http://172.20.1.1/",
            "http://192.168.1.10/", "http://100.64.1.1/", "http://169.254.169.254/latest/meta-data/",
            "http://[fd00:ec2::254]/", "http://[fe80::1]/", "http://[fc00::5]/", "http://0.0.0.0:8084/",
            "http://[::]/", "http://224.0.0.251/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:a9fe:a9fe]/"})
    void forbiddenAddressesAreRefusedByDefault(String url) {
        UrlGuard.Rejected e = assertThrows(UrlGuard.Rejected.class, () -> STRICT.check(url));
        assertEquals(UrlGuard.Rejected.Kind.FORBIDDEN, e.kind());
        assertTrue(e.getMessage().contains("not allowed"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "file:///etc/passwd | must be an http or https URL",
            "ftp://x | must be an http or https URL",
            "gopher://example.com/ | must be an http or https URL",
            "example.com/hook | must be an http or https URL",
            "http:///path-without-host | must name a host",
            "http://exa mple.com/ | not a valid URL",
            "http://user:pw@example.com/ | must not contain user info",
            "'' | is required"})
    void onlyHttpUrlsWithAHostAndNoCredentialsAreAccepted(String url, String reason) {
        UrlGuard.Rejected e = assertThrows(UrlGuard.Rejected.class, () -> STRICT.check(url));
        assertEquals(UrlGuard.Rejected.Kind.INVALID, e.kind());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void configurationOpensLoopbackAndPrivateRangesButNeverMetadata() throws Exception {
        UrlGuard loopback = new UrlGuard(true, false);
        assertEquals(URI.create("http://127.0.0.1:9000/x"), loopback.check("http://127.0.0.1:9000/x"));
        loopback.check("http://[::1]/");
        assertEquals(UrlGuard.Rejected.Kind.FORBIDDEN, assertThrows(UrlGuard.Rejected.class, () -> loopback.check("http://10.0.0.1/")).kind());

        UrlGuard intranet = new UrlGuard(false, true);
        intranet.check("http://10.0.0.1/");
        intranet.check("http://192.168.1.1/");
        intranet.check("http://100.64.0.1/");
        intranet.check("http://169.254.1.1/");
        intranet.check("http://[fd12::1]/");
        assertThrows(UrlGuard.Rejected.class, () -> intranet.check("http://127.0.0.1/"));

        UrlGuard both = new UrlGuard(true, true);
        for (String url : List.of("http://169.254.169.254/", "http://[fd00:ec2::254]/", "http://100.100.100.200/",
                "http://0.0.0.0/", "http://224.0.0.1/")) {
            assertThrows(UrlGuard.Rejected.class, () -> both.check(url), url);
        }
    }

    @Test
    void everyAddressOfAHostMustBeAllowed() throws Exception {
        Map<String, InetAddress[]> dns = Map.of(
                "public.test", new InetAddress[]{InetAddress.getByName("93.184.215.14")},
                "split.test", new InetAddress[]{InetAddress.getByName("93.184.215.14"), InetAddress.getByName("10.1.2.3")},
                "metadata.test", new InetAddress[]{InetAddress.getByName("169.254.169.254")});
        UrlGuard guard = new UrlGuard(false, false, host -> {
            InetAddress[] addresses = dns.get(host);
            if (addresses == null) {
                throw new UnknownHostException(host);
            }
            return addresses;
        });
        assertEquals(List.of(InetAddress.getByName("93.184.215.14")), guard.resolve(URI.create("https://public.test/hook")));
        UrlGuard.Rejected split = assertThrows(UrlGuard.Rejected.class, () -> guard.check("https://split.test/hook"));
        assertEquals(UrlGuard.Rejected.Kind.FORBIDDEN, split.kind());
        assertTrue(split.getMessage().contains("10.1.2.3"), split.getMessage());
        assertTrue(assertThrows(UrlGuard.Rejected.class, () -> guard.check("http://metadata.test/")).getMessage()
                .contains("cloud metadata"));
        UrlGuard.Rejected unknown = assertThrows(UrlGuard.Rejected.class, () -> guard.check("http://nowhere.test/"));
        assertEquals(UrlGuard.Rejected.Kind.UNRESOLVABLE, unknown.kind());
        assertEquals("host nowhere.test does not resolve", unknown.getMessage());
    }

    @Test
    void schemeIsCaseInsensitiveAndTooLongUrlsAreRefused() throws Exception {
        new UrlGuard(true, false).check("HTTPS://127.0.0.1/");
        String tooLong = "http://127.0.0.1/" + "a".repeat(UrlGuard.MAX_URL_LENGTH);
        assertTrue(assertThrows(UrlGuard.Rejected.class, () -> new UrlGuard(true, false).check(tooLong)).getMessage()
                .contains("at most"));
    }

    private static InetAddress v6(String hex) throws UnknownHostException {
        return Inet6Address.getByAddress(null, HexFormat.of().parseHex(hex), -1);
    }
}
